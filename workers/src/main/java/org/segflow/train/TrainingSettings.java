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

  public TrainingSettings {
    require(numEpochs >= 1, "--epochs must be at least 1, got " + numEpochs);
    require(iterationsPerEpoch >= 1, "--iterations-per-epoch must be at least 1, got " + iterationsPerEpoch);
    require(valIterations >= 1, "--val-iterations must be at least 1, got " + valIterations);
    require(checkpointEvery >= 1, "--checkpoint-every must be at least 1, got " + checkpointEvery);
    require(dataWorkers >= 1, "data workers must be at least 1, got " + dataWorkers);
  }

  public static TrainingSettings nnUNet() {
    return new TrainingSettings(NNUNET_EPOCHS, NNUNET_ITERATIONS, NNUNET_VAL_ITERATIONS, 1, false, 12345L, 1,
        true);
  }

  public TrainingSettings withResume(boolean r) {
    return new TrainingSettings(numEpochs, iterationsPerEpoch, valIterations, checkpointEvery, r, seed,
        dataWorkers, finalValidation);
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new org.segflow.InvalidInputException(message);
    }
  }
}
