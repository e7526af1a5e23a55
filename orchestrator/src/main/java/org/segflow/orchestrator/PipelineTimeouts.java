package org.segflow.orchestrator;

import java.time.Duration;

/**
 * How long the pipeline's activities may take. Fold training is one long activity: StartToClose in
 * hours, a heartbeat every epoch and every few seconds within one, so a dead worker is noticed after
 * {@code trainHeartbeat} and its fold retried on another.
 */
public record PipelineTimeouts(Duration prepareStartToClose, Duration trainStartToClose,
    Duration trainHeartbeat, Duration retryInitialInterval, int maxAttempts) {

  public static final PipelineTimeouts DEFAULTS = new PipelineTimeouts(Duration.ofHours(2),
      Duration.ofHours(48), Duration.ofMinutes(5), Duration.ofSeconds(1), 10);

  /** The same with another heartbeat timeout (a request may shorten it: small runs, fault tests). */
  public PipelineTimeouts withTrainHeartbeat(Duration heartbeat) {
    return new PipelineTimeouts(prepareStartToClose, trainStartToClose, heartbeat, retryInitialInterval, maxAttempts);
  }
}
