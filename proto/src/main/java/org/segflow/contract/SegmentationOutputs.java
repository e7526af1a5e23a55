package org.segflow.contract;

/**
 * What segmenting one image wrote: paths relative to SEGFLOW_HOME with their sha256s, the share of
 * foreground pixels, the image size and the milliseconds the prediction took on the worker.
 */
public record SegmentationOutputs(String modelVersion, StepRef labelMap, StepRef mask, StepRef overlay,
    double foregroundFraction, int height, int width, long predictMillis) {}
