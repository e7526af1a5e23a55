package org.segflow.orchestrator;

import java.time.Duration;

/**
 * How the pipeline's activities are bounded: by liveness, not by duration. Every activity heartbeats
 * (a fold every epoch and every few seconds within one, the cpu steps every two seconds), so a dead
 * worker is noticed after {@code heartbeat} and its step retried elsewhere; how long a step may run
 * is otherwise unlimited, because the same fold takes an hour on a GPU and three weeks on a laptop CPU.
 *
 * <p>A fold is retried without limit (backing off to {@code foldRetryMaximumInterval}): a fold that
 * is alive never runs out of attempts, and lost workers and rolling restarts over weeks cannot exhaust
 * it; invalid input is never retried, and a fold that keeps failing for another reason shows in
 * {@code segflow status} (attempt, last failure) and fires the SegflowFoldFailing alert. Only an
 * explicit {@code maxFoldDuration} (all attempts of a fold together) or the user's cancel ends it
 * otherwise. The shorter cpu steps and the test-set prediction keep {@code maxAttempts}.
 *
 * @param stepStartToClose one attempt of any activity; {@link #NO_LIMIT} by default
 * @param heartbeat        silence after which an attempt's worker counts as lost
 * @param maxFoldDuration  null for none, else the ScheduleToClose of each fold
 */
public record PipelineTimeouts(Duration stepStartToClose, Duration heartbeat, Duration retryInitialInterval,
    Duration foldRetryMaximumInterval, int maxAttempts, Duration maxFoldDuration) {

  /** What "no limit" is to Temporal, which wants a StartToClose: ten years. */
  public static final Duration NO_LIMIT = Duration.ofDays(3650);

  public static final PipelineTimeouts DEFAULTS = new PipelineTimeouts(NO_LIMIT, Duration.ofMinutes(5),
      Duration.ofSeconds(1), Duration.ofMinutes(10), 10, null);

  /** The same with another heartbeat timeout (a request may shorten it: small runs, fault tests). */
  public PipelineTimeouts withHeartbeat(Duration h) {
    return new PipelineTimeouts(stepStartToClose, h, retryInitialInterval, foldRetryMaximumInterval, maxAttempts,
        maxFoldDuration);
  }

  /** The same with a limit on each fold's whole duration, retries included. */
  public PipelineTimeouts withMaxFoldDuration(Duration d) {
    return new PipelineTimeouts(stepStartToClose, heartbeat, retryInitialInterval, foldRetryMaximumInterval,
        maxAttempts, d);
  }
}
