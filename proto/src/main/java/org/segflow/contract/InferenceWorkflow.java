package org.segflow.contract;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * One arrived image on {@value #TASK_QUEUE}: check it, segment it with the dataset's promoted model
 * on the gpu pool, write the label map, the 0/255 mask and the overlay, and emit
 * SegmentationCompleted. Its id is {@link #workflowId}, so a second event for the same image is a
 * no-op.
 */
@WorkflowInterface
public interface InferenceWorkflow {

  String TASK_QUEUE = PipelineWorkflow.TASK_QUEUE;

  String ID_PREFIX = "infer-";

  @WorkflowMethod
  InferenceResult run(InferenceRequest request);

  static String workflowId(String dataset, String sha256) {
    return ID_PREFIX + dataset + "-" + sha256;
  }
}
