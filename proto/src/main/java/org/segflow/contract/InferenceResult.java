package org.segflow.contract;

/**
 * One image segmented: the outputs and the milliseconds between arrival and completion, as emitted
 * in SegmentationCompleted. Times are the workflow's clock (epoch milliseconds).
 */
public record InferenceResult(String workflowId, InferenceRequest request, SegmentationOutputs outputs,
    long startedAtMillis, long checkMillis, long segmentMillis, long completedAtMillis) {

  /** arrived_at -> workflow start; 0 when the event had no arrival time. */
  public long queuedMillis() {
    return request.arrivedAtMillis() > 0 ? Math.max(0, startedAtMillis - request.arrivedAtMillis()) : 0;
  }

  /** arrived_at (or the workflow start when unknown) -> completion. */
  public long totalMillis() {
    long from = request.arrivedAtMillis() > 0 ? request.arrivedAtMillis() : startedAtMillis;
    return Math.max(0, completedAtMillis - from);
  }
}
