package org.segflow.train;

/**
 * Observes a fold training without the loop knowing who listens (DJL's TrainingListener is the
 * model): the log file, progress.png, the console line, Prometheus gauges and the Temporal heartbeat
 * are each one listener.
 */
public interface TrainingListener {

  /** Before the first epoch of this run (also after a resume: {@code history} holds the past). */
  default void onTrainingStart(FoldContext fold, TrainingHistory history) {}

  /** After each training iteration; cheap listeners only (heartbeats, progress bars). */
  default void onIteration(FoldContext fold, int epoch, int iteration, int iterationsPerEpoch) {}

  /** After an epoch has been validated, logged into {@code history} and checkpointed. */
  default void onEpochEnd(FoldContext fold, EpochResult result, TrainingHistory history) {}

  /** Free-form progress messages (validation of cases, resume notices). */
  default void onMessage(FoldContext fold, String message) {}

  /** After the last epoch and the final validation. */
  default void onTrainingEnd(FoldContext fold, TrainingHistory history) {}

  /** The run stopped with {@code cause}: a crash, bad input, or a stop asked for by a listener. */
  default void onTrainingFailed(FoldContext fold, RuntimeException cause) {}
}
