package org.segflow.contract;

/**
 * One fold's progress as the pipeline reports it.
 *
 * @param epoch     epochs done
 * @param numEpochs epochs requested
 * @param pseudoDice mean foreground pseudo Dice of the last epoch
 * @param ema       its exponential moving average (nnU-Net's ema_fg_dice)
 * @param bestEma   the best EMA so far (the one checkpoint_best holds)
 */
public record FoldProgress(int fold, int epoch, int numEpochs, double trainLoss, double valLoss,
    double pseudoDice, double ema, double bestEma, FoldState state) {

  /** A fold that has not reported any epoch yet. */
  public static FoldProgress pending(int fold, int numEpochs) {
    return new FoldProgress(fold, 0, numEpochs, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
        Double.NaN, FoldState.PENDING);
  }

  public FoldProgress withState(FoldState s) {
    return new FoldProgress(fold, epoch, numEpochs, trainLoss, valLoss, pseudoDice, ema, bestEma, s);
  }
}
