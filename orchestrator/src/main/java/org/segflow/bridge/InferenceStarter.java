package org.segflow.bridge;

import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import org.segflow.contract.InferenceRequest;
import org.segflow.contract.InferenceWorkflow;

/**
 * Starts {@link InferenceWorkflow} under {@code infer-<dataset>-<sha256>}. A workflow with that id
 * that is running or has completed makes the start a duplicate (no-op); one that failed, timed out or
 * was cancelled may be started again by a new event (ALLOW_DUPLICATE_FAILED_ONLY), so an image
 * whose segmentation failed can be re-sent.
 */
public final class InferenceStarter {

  /** What a start did. */
  public enum Outcome { STARTED, DUPLICATE }

  private final WorkflowClient client;

  public InferenceStarter(WorkflowClient client) {
    this.client = client;
  }

  /** Throws on anything but accepted or already existing (the caller retries; nothing is committed). */
  public Outcome start(InferenceRequest request) {
    InferenceWorkflow stub = client.newWorkflowStub(InferenceWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId(request.workflowId())
        .setTaskQueue(InferenceWorkflow.TASK_QUEUE)
        .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE_FAILED_ONLY)
        .build());
    try {
      WorkflowClient.start(stub::run, request);
      return Outcome.STARTED;
    } catch (WorkflowExecutionAlreadyStarted e) {
      return Outcome.DUPLICATE;
    }
  }
}
