package org.segflow.contract;

/**
 * What segmenting one image wrote: paths relative to SEGFLOW_HOME with their sha256s, the share of
 * foreground pixels, the image size, the milliseconds the prediction took on the worker, the trust
 * scores (null when the model version has no trust profile, or in histories recorded before scores
 * existed) and the milliseconds scoring added to the prediction ({@code scoreMillis}: reading the
 * profile, drift and confidence, writing the scores beside the label map; rounded up, so a scored image
 * has at least 1; 0 when the image was not scored, and in histories recorded before the field existed).
 */
public record SegmentationOutputs(String modelVersion, StepRef labelMap, StepRef mask, StepRef overlay,
    double foregroundFraction, int height, int width, long predictMillis, TrustScores trust, long scoreMillis) {

  /** Outputs without trust scores. */
  public SegmentationOutputs(String modelVersion, StepRef labelMap, StepRef mask, StepRef overlay,
      double foregroundFraction, int height, int width, long predictMillis) {
    this(modelVersion, labelMap, mask, overlay, foregroundFraction, height, width, predictMillis, null, 0);
  }
}
