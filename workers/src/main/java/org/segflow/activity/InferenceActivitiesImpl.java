package org.segflow.activity;

import org.segflow.contract.InferenceActivities;
import org.segflow.contract.InferenceRequest;
import org.segflow.contract.SegmentRequest;
import org.segflow.contract.SegmentationOutputs;
import org.segflow.contract.ShadowRequest;
import org.segflow.contract.ShadowResult;
import org.segflow.metrics.InferenceMetrics;
import org.segflow.pipeline.ArrivalSegmentation;
import org.segflow.storage.SegflowPaths;

/**
 * The gpu workers' inference activities over {@link ArrivalSegmentation}: invalid input as the final
 * {@code InvalidInput} failure, and the latency and outcome of each image in the inference meters (a
 * shadow run in the shadow meters only, so the published results' meters stay theirs).
 */
public final class InferenceActivitiesImpl implements InferenceActivities, AutoCloseable {

  private final ArrivalSegmentation segmentation;
  private final InferenceMetrics metrics;

  /**
   * @param device  "cpu" or "gpu"/"gpu0" ...
   * @param metrics where latency and outcomes go; null for none
   */
  public InferenceActivitiesImpl(SegflowPaths paths, String device, int threads, InferenceMetrics metrics) {
    this.segmentation = new ArrivalSegmentation(paths, device, threads);
    this.metrics = metrics;
  }

  @Override
  public SegmentationOutputs segment(SegmentRequest request) {
    long start = System.nanoTime();
    InferenceRequest r = request.request();
    try {
      SegmentationOutputs out = Failures.invalidInputIsFinal(
          () -> segmentation.segment(r, request.modelVersion(), start));
      record(r.dataset(), InferenceMetrics.Outcome.OK, start);
      return out;
    } catch (io.temporal.failure.ApplicationFailure e) {
      record(r.dataset(), InferenceMetrics.Outcome.REJECTED, start);
      throw e;
    } catch (RuntimeException | Error e) {
      record(r.dataset(), InferenceMetrics.Outcome.FAILED, start);
      throw e;
    }
  }

  @Override
  public ShadowResult segmentShadow(ShadowRequest request) {
    InferenceRequest r = request.request();
    try {
      ShadowResult result = Failures.invalidInputIsFinal(() -> segmentation.shadow(request));
      if (metrics != null) {
        metrics.recordShadow(r.dataset(), request.shadowVersion(), result.agreement());
      }
      return result;
    } catch (RuntimeException | Error e) {
      if (metrics != null) {
        metrics.recordShadowFailure(r.dataset(), request.shadowVersion());
      }
      throw e;
    }
  }

  private void record(String dataset, InferenceMetrics.Outcome outcome, long start) {
    if (metrics != null) {
      metrics.record(dataset, outcome, (System.nanoTime() - start) / 1e9);
    }
  }

  @Override
  public void close() {
    segmentation.close();
  }
}
