package org.segflow.contract;

/**
 * What segmenting one image wrote: paths relative to SEGFLOW_HOME with their sha256s, the share of
 * foreground pixels, the image size, the milliseconds the prediction took on the worker, and the trust
 * scores (null when the model version has no trust profile, or in histories recorded before scores
 * existed).
 */
public record SegmentationOutputs(String modelVersion, StepRef labelMap, StepRef mask, StepRef overlay,
    double foregroundFraction, int height, int width, long predictMillis, TrustScores trust) {

  /** Outputs without trust scores. */
  public SegmentationOutputs(String modelVersion, StepRef labelMap, StepRef mask, StepRef overlay,
      double foregroundFraction, int height, int width, long predictMillis) {
    this(modelVersion, labelMap, mask, overlay, foregroundFraction, height, width, predictMillis, null);
  }
}
