package org.segflow.train;

import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Measures a fold's seconds per epoch while it trains, and says what the whole schedule costs as soon
 * as it can: after the first {@value #MEASURED_ITERATIONS} iterations past a warm-up one (an estimate:
 * the epoch's iterations plus its validation iterations at a third of a training step each, a
 * forward pass without gradients), or at the end of the first epoch when an epoch is shorter than that.
 * Once epochs have finished, the figure is their mean wall time, validation included.
 */
public final class EpochClock implements TrainingListener {

  static final int MEASURED_ITERATIONS = 3;
  /** A validation iteration's cost relative to a training iteration (forward only, no augmentation). */
  static final double VALIDATION_ITERATION_SHARE = 1.0 / 3;

  private final int numEpochs;
  private final int valIterations;
  private final LongSupplier nanoClock;
  private final Consumer<ScheduleCost> onFirstEstimate;
  private long warmedUpAt;
  private int iterationsPerEpoch;
  private boolean announced;
  private int epochsDone;
  private int epochsMeasured;
  private double epochSecondsSum;
  private volatile double secondsPerEpoch = Double.NaN;

  /** {@code onFirstEstimate} is told the schedule's cost once, on the training thread. */
  public EpochClock(int numEpochs, int valIterations, Consumer<ScheduleCost> onFirstEstimate) {
    this(numEpochs, valIterations, System::nanoTime, onFirstEstimate);
  }

  EpochClock(int numEpochs, int valIterations, LongSupplier nanoClock, Consumer<ScheduleCost> onFirstEstimate) {
    this.numEpochs = numEpochs;
    this.valIterations = valIterations;
    this.nanoClock = nanoClock;
    this.onFirstEstimate = onFirstEstimate;
  }

  /** Seconds per epoch so far; NaN before the first estimate. */
  public double secondsPerEpoch() {
    return secondsPerEpoch;
  }

  @Override
  public void onTrainingStart(FoldContext fold, TrainingHistory history) {
    epochsDone = history.epochs();
  }

  @Override
  public void onIteration(FoldContext fold, int epoch, int iteration, int iterationsPerEpoch) {
    this.iterationsPerEpoch = iterationsPerEpoch;
    if (epochsMeasured > 0 || announced) {
      return;
    }
    if (iteration == 1) {
      warmedUpAt = nanoClock.getAsLong();
    } else if (iteration == 1 + MEASURED_ITERATIONS) {
      double perIteration = (nanoClock.getAsLong() - warmedUpAt) / 1e9 / MEASURED_ITERATIONS;
      secondsPerEpoch = perIteration * (iterationsPerEpoch + valIterations * VALIDATION_ITERATION_SHARE);
      announce(MEASURED_ITERATIONS + " iterations");
    }
  }

  @Override
  public void onEpochEnd(FoldContext fold, EpochResult r, TrainingHistory history) {
    epochsDone = r.epoch() + 1;
    epochsMeasured++;
    epochSecondsSum += r.epochSeconds();
    secondsPerEpoch = epochSecondsSum / epochsMeasured;
    if (!announced) {
      announce("1 epoch");
    }
  }

  private void announce(String measuredOn) {
    announced = true;
    onFirstEstimate.accept(ScheduleCost.ofFold(numEpochs, epochsDone, iterationsPerEpoch, secondsPerEpoch,
        measuredOn));
  }
}
