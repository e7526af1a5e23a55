package org.segflow.metrics;

import org.segflow.predict.PredictionListener;

/**
 * Feeds a prediction run into {@link InferenceMetrics} for one dataset: each written case counts as
 * ok with the time since the previous case finished (the predictor overlaps reading and writing, so
 * this is the per-image throughput time), each failed case as failed. The predictor does not say
 * whether a failure was bad input, so "rejected" is left to callers that know (the inference workflow).
 */
public final class PredictionMetricsListener implements PredictionListener {

  private final InferenceMetrics metrics;
  private final String dataset;
  private double lastSeconds;
  private long lastNanos;

  public PredictionMetricsListener(InferenceMetrics metrics, String dataset) {
    this.metrics = metrics;
    this.dataset = dataset;
  }

  @Override
  public void onStart(int toPredict, int skipped) {
    metrics.register(dataset);
    lastSeconds = 0;
    lastNanos = System.nanoTime();
  }

  @Override
  public void onCaseWritten(String caseId, int done, int total, double seconds) {
    metrics.record(dataset, InferenceMetrics.Outcome.OK, Math.max(0, seconds - lastSeconds));
    lastSeconds = seconds;
    lastNanos = System.nanoTime();
  }

  @Override
  public void onCaseFailed(String caseId, String message, int done, int total) {
    long now = System.nanoTime();
    metrics.record(dataset, InferenceMetrics.Outcome.FAILED, (now - lastNanos) / 1e9);
    lastSeconds += (now - lastNanos) / 1e9;
    lastNanos = now;
  }
}
