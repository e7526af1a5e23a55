package org.segflow.activity;

import io.temporal.client.ActivityCompletionException;
import io.temporal.client.ActivityWorkerShutdownException;
import io.temporal.failure.ApplicationFailure;
import org.segflow.metrics.TrainingMetricsListener.FoldState;

/** How a fold's activity ended, told apart by what its training loop threw. */
public final class FoldEnd {

  private FoldEnd() {}

  /**
   * {@code stopped} for this worker's stop (the {@value WorkerStop#FAILURE_TYPE} hand-back, a heartbeat
   * refused because the worker shuts down, or an interrupt after the stop's grace), {@code cancelled} for
   * any other end of the activity that Temporal asked for, {@code failed} otherwise. Called on the thread
   * that ran the loop.
   */
  public static FoldState of(RuntimeException cause) {
    if (cause instanceof ApplicationFailure f && WorkerStop.FAILURE_TYPE.equals(f.getType())
        || cause instanceof ActivityWorkerShutdownException) {
      return FoldState.STOPPED;
    }
    FoldState outside = FoldState.endedBy(cause);
    return outside == FoldState.FAILED && cause instanceof ActivityCompletionException
        ? FoldState.CANCELLED : outside;
  }
}
