package org.segflow.activity;

import io.temporal.failure.ApplicationFailure;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker's graceful stop, and the signal running folds see during it. The stop first stops
 * polling (WorkerFactory.shutdown(); with {@link #workerOptions()} heartbeats go on meanwhile), then
 * raises {@link #isStopping()}: a fold's {@link HeartbeatListener} finishes the epoch it is in, writes
 * its checkpoint and ends with a retryable {@value #FAILURE_TYPE} failure, so its one retry runs on
 * another worker from that checkpoint. The retry is held back {@link #RETRY_DELAY}, far longer than
 * the stopping worker's pollers take to stop (the ShutdownWorker call and a poll-thread interrupt),
 * so it cannot land on the worker that is stopping.
 */
public final class WorkerStop {

  /** The failure type of a fold ended by a stopping worker; retryable, never in a DoNotRetry list. */
  public static final String FAILURE_TYPE = "WorkerStopping";
  /** How long the server holds the retry of a fold a stopping worker ended. */
  public static final Duration RETRY_DELAY = Duration.ofSeconds(5);

  private static final Logger LOG = LoggerFactory.getLogger(WorkerStop.class);
  private static final WorkerStop PROCESS = new WorkerStop();

  private volatile boolean stopping;

  /** The stop of this process's workers: what segflow worker's shutdown hook raises, what folds check. */
  public static WorkerStop process() {
    return PROCESS;
  }

  /**
   * Options of a worker that stops gracefully: its running activities keep heartbeating while it
   * stops. By default (SDK 1.38) shutdown() first shuts the heartbeat executor, so a running fold's
   * next heartbeat throws and the worker keeps polling for up to 5 s after that, picking up (and
   * burning) the fold's retries.
   */
  public static WorkerOptions.Builder workerOptions() {
    return WorkerOptions.newBuilder().setAllowActivityHeartbeatDuringShutdown(true);
  }

  public boolean isStopping() {
    return stopping;
  }

  /** From now on running folds end at their next checkpoint, and folds handed to this worker at once. */
  void begin() {
    stopping = true;
  }

  /**
   * Stops {@code factory}: no more polling, then lets running activities end on their own (a fold at
   * its next checkpoint) within {@code grace}, then interrupts what is left. Returns whether every
   * activity ended within the grace. The service stubs must stay open until this returns: the folds
   * report their failures through them.
   */
  public boolean stopGracefully(WorkerFactory factory, Duration grace) {
    // shutdown() starts stopping the pollers (a ShutdownWorker call, then an interrupt of the poll
    // threads: milliseconds); a fold told to end now has its retry held RETRY_DELAY past that
    LOG.info("worker stopping: polling stopped; running folds hand back at their next checkpoint (grace {} s)",
        grace.toSeconds());
    factory.shutdown();
    begin();
    factory.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
    if (factory.isTerminated()) {
      LOG.info("worker stopped: every activity ended within the grace");
      return true;
    }
    LOG.warn("worker stopping: activities still running after {} s; interrupting them", grace.toSeconds());
    factory.shutdownNow();
    factory.awaitTermination(10, TimeUnit.SECONDS);
    LOG.info("worker stopped{}", factory.isTerminated() ? "" : " (activities still running after the interrupt)");
    return false;
  }

  /** The retryable failure that ends a fold on a stopping worker; its retry waits {@link #RETRY_DELAY}. */
  ApplicationFailure failure(String message) {
    return ApplicationFailure.newBuilder()
        .setMessage(message)
        .setType(FAILURE_TYPE)
        .setNonRetryable(false)
        .setNextRetryDelay(RETRY_DELAY)
        .build();
  }
}
