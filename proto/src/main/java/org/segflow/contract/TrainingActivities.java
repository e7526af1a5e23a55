package org.segflow.contract;

import io.temporal.activity.ActivityInterface;

/**
 * Fold training and prediction, served on {@value #TASK_QUEUE}: one long activity per fold that heartbeats
 * {@link FoldHeartbeat} each epoch and signals {@link PipelineWorkflow#foldProgress} to its
 * workflow; a retry continues from the newest checkpoint on disk.
 */
@ActivityInterface
public interface TrainingActivities {

  String TASK_QUEUE = "segflow-gpu";

  FoldResult trainFold(FoldRequest request);

  /**
   * Segments the test images with the trained folds (heartbeat per case) and scores them; answered from
   * the run folder when it holds every case predicted from the same images, checkpoints, postprocessing
   * and options (its step cache).
   */
  PredictResult predict(PredictRequest request);
}
