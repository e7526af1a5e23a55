package org.segflow.contract;

import io.temporal.activity.ActivityInterface;

/**
 * Segmentation of one image on {@value #TASK_QUEUE}. Retried or repeated, it returns the outputs
 * already written by the same model version for the same image. Bad input fails with the
 * non-retryable type {@value PipelineWorkflow#INVALID_INPUT}.
 */
@ActivityInterface
public interface InferenceActivities {

  String TASK_QUEUE = TrainingActivities.TASK_QUEUE;

  SegmentationOutputs segment(SegmentRequest request);

  /**
   * Segments the image with the dataset's shadow version into a folder of its own (never where result
   * events point), compares it with the promoted outputs and the reference labels, and records the
   * comparison for {@code segflow models shadow}; publishes nothing.
   */
  ShadowResult segmentShadow(ShadowRequest request);
}
