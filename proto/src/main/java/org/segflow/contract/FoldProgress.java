package org.segflow.contract;

/**
 * One fold's progress as the pipeline reports it.
 *
 * @param epoch     epochs done
 * @param numEpochs epochs requested
 * @param pseudoDice mean foreground pseudo Dice of the last epoch
 * @param ema       its exponential moving average (nnU-Net's ema_fg_dice)
 * @param bestEma   the best EMA so far (the one checkpoint_best holds)
 * @param secondsPerEpoch wall seconds per epoch on the worker training it, validation included: the
 *                  mean of the epochs it finished, or before the first one an estimate from its first
 *                  iterations; NaN while unknown
 */
public record FoldProgress(int fold, int epoch, int numEpochs, double trainLoss, double valLoss,
    double pseudoDice, double ema, double bestEma, FoldState state, double secondsPerEpoch) {

  /** Progress without a known epoch time. */
  public FoldProgress(int fold, int epoch, int numEpochs, double trainLoss, double valLoss, double pseudoDice,
      double ema, double bestEma, FoldState state) {
    this(fold, epoch, numEpochs, trainLoss, valLoss, pseudoDice, ema, bestEma, state, Double.NaN);
  }

  /** A fold that has not reported any epoch yet. */
  public static FoldProgress pending(int fold, int numEpochs) {
    return new FoldProgress(fold, 0, numEpochs, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
        Double.NaN, FoldState.PENDING);
  }

  public FoldProgress withState(FoldState s) {
    return new FoldProgress(fold, epoch, numEpochs, trainLoss, valLoss, pseudoDice, ema, bestEma, s, secondsPerEpoch);
  }

  /** Seconds until the fold's last epoch ends at its epoch time; 0 once done, NaN while unknown. */
  public double remainingSeconds() {
    return state == FoldState.DONE ? 0 : Math.max(0, numEpochs - epoch) * secondsPerEpoch;
  }
}
