package org.segflow.activity;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Heartbeats for the cpu pool's steps (ingest, convert, fingerprint, plan and preprocess, find-best),
 * which report no progress of their own: while one runs, its worker process heartbeats every few
 * seconds. With a heartbeat timeout on those activities, a cpu worker killed in the middle of a step has
 * the step retried elsewhere after that timeout instead of after its StartToClose of hours. Fold
 * training is not wrapped: it heartbeats with its own progress (epoch, checkpoint).
 */
final class LivenessHeartbeats {

  /** Well under the shortest heartbeat timeout a pipeline may ask for (8 s in tests). */
  static final Duration EVERY = Duration.ofSeconds(2);

  private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "segflow-liveness-heartbeats");
    t.setDaemon(true);
    return t;
  });

  private LivenessHeartbeats() {}

  /** Runs {@code step}, heartbeating meanwhile when it runs as an activity (directly called: just runs it). */
  static <T> T during(Supplier<T> step) {
    ActivityExecutionContext ctx;
    try {
      ctx = Activity.getExecutionContext();
    } catch (IllegalStateException | IllegalArgumentException e) {
      return step.get(); // not inside an activity (tests, direct calls)
    }
    ScheduledFuture<?> beats = TIMER.scheduleAtFixedRate(() -> beat(ctx), 0, EVERY.toMillis(), TimeUnit.MILLISECONDS);
    try {
      return step.get();
    } finally {
      beats.cancel(false);
    }
  }

  private static void beat(ActivityExecutionContext ctx) {
    try {
      ctx.heartbeat(null);
    } catch (RuntimeException e) {
      // cancelled, timed out or the worker is stopping: the step itself learns it when it completes
    }
  }
}
