package org.segflow.contract;

import io.temporal.activity.ActivityInterface;

/**
 * The light steps around segmentation, on {@value #TASK_QUEUE}: check the arrived image and pick the
 * promoted model version; emit SegmentationCompleted on Kafka, or a DeadLetter when the image could
 * not be segmented.
 */
@ActivityInterface
public interface ArrivalActivities {

  String TASK_QUEUE = DataPreparationActivities.TASK_QUEUE;

  /** Fails with {@value PipelineWorkflow#INVALID_INPUT} when the file is gone, changed or unreadable. */
  ImageCheck checkImage(InferenceRequest request);

  /** Sends SegmentationCompleted (key = dataset) and waits until the broker acknowledged it. */
  void publishCompleted(InferenceResult result);

  /** Sends the failed image's DeadLetter to segflow.images.arrived.dlq and waits for the broker's ack. */
  void publishFailed(InferenceFailure failure);
}
