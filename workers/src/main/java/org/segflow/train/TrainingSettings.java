package org.segflow.train;

/**
 * How long and how carefully to train one fold. nnU-Net's recipe is 1000 epochs of 250 iterations
 * with 50 validation iterations; {@code checkpointEvery} defaults to 1 (nnU-Net: 50) so a crash costs
 * at most one epoch.
 */
public record TrainingSettings(
    int numEpochs,
    int iterationsPerEpoch,
    int valIterations,
    int checkpointEvery,
    boolean resume,
    long seed,
    int dataWorkers,
    boolean finalValidation) {

  public static final int NNUNET_EPOCHS = 1000;
  public static final int NNUNET_ITERATIONS = 250;
  public static final int NNUNET_VAL_ITERATIONS = 50;
  /** The run's seed unless one is given; each fold derives its own from it ({@link #forFold}). */
  public static final long DEFAULT_SEED = 12345L;

  public TrainingSettings {
    require(numEpochs >= 1, "--epochs must be at least 1, got " + numEpochs);
    require(iterationsPerEpoch >= 1, "--iterations-per-epoch must be at least 1, got " + iterationsPerEpoch);
    require(valIterations >= 1, "--val-iterations must be at least 1, got " + valIterations);
    require(checkpointEvery >= 1, "--checkpoint-every must be at least 1, got " + checkpointEvery);
    require(dataWorkers >= 1, "data workers must be at least 1, got " + dataWorkers);
  }

  public static TrainingSettings nnUNet() {
    return schedule(NNUNET_EPOCHS, NNUNET_ITERATIONS, NNUNET_VAL_ITERATIONS);
  }

  /**
   * {@code epochs} of {@code iterations} training and {@code valIterations} validation batches, with
   * the defaults of everything else: a checkpoint every epoch, a fresh start, {@link #DEFAULT_SEED}, one
   * data worker and the final validation. The {@code with...} methods change one of them.
   */
  public static TrainingSettings schedule(int epochs, int iterations, int valIterations) {
    return new TrainingSettings(epochs, iterations, valIterations, 1, false, DEFAULT_SEED, 1, true);
  }

  /** Resume from the newest complete checkpoint ({@code true}) or start over. */
  public TrainingSettings withResume(boolean r) {
    return new TrainingSettings(numEpochs, iterationsPerEpoch, valIterations, checkpointEvery, r, seed,
        dataWorkers, finalValidation);
  }

  /** Resume from the newest complete checkpoint, as every attempt of the pipeline's fold does. */
  public TrainingSettings resuming() {
    return withResume(true);
  }

  public TrainingSettings withCheckpointEvery(int epochs) {
    return new TrainingSettings(numEpochs, iterationsPerEpoch, valIterations, epochs, resume, seed,
        dataWorkers, finalValidation);
  }

  /** The run's seed (each fold derives its own, {@link #forFold}). */
  public TrainingSettings withSeed(long s) {
    return new TrainingSettings(numEpochs, iterationsPerEpoch, valIterations, checkpointEvery, resume, s,
        dataWorkers, finalValidation);
  }

  /** Whether the fold ends with the sliding-window validation of its held-out cases. */
  public TrainingSettings withFinalValidation(boolean v) {
    return new TrainingSettings(numEpochs, iterationsPerEpoch, valIterations, checkpointEvery, resume, seed,
        dataWorkers, v);
  }

  /** Ends without the final validation (a fold only checkpointed, as {@code --no-validation}). */
  public TrainingSettings withoutFinalValidation() {
    return withFinalValidation(false);
  }

  /**
   * The settings one fold trains with: {@code seed} is the run's, and each fold gets its own from it, so
   * the five networks of an ensemble start from different weights and draw different batches (as
   * nnU-Net's unseeded folds do) while a run stays reproducible. Fold 0 keeps the run's seed; the others
   * take a SplitMix64 mix of the seed and the fold ("all" counts as fold 5).
   */
  public TrainingSettings forFold(String fold) {
    int index = "all".equals(fold) ? 5 : Integer.parseInt(fold);
    long foldSeed = index == 0 ? seed : splitMix64(seed + index * 0x9E3779B97F4A7C15L);
    return new TrainingSettings(numEpochs, iterationsPerEpoch, valIterations, checkpointEvery, resume, foldSeed,
        dataWorkers, finalValidation);
  }

  private static long splitMix64(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new org.segflow.InvalidInputException(message);
    }
  }
}
