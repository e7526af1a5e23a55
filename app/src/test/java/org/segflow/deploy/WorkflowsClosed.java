package org.segflow.deploy;

import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Waits until workflows are closed, so that nothing more can be published on their behalf. */
final class WorkflowsClosed {

  private WorkflowsClosed() {}

  /** Waits (bounded) until every workflow in {@code ids} is COMPLETED; fails naming the others' states. */
  static void await(String target, List<String> ids, Duration timeout) {
    WorkflowServiceStubs service = WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder().setTarget(target).build());
    try {
      Map<String, WorkflowExecutionStatus> states = new TreeMap<>();
      LocalStack.await(timeout, () -> {
        for (String id : ids) {
          states.put(id, service.blockingStub().describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
              .setNamespace("default").setExecution(WorkflowExecution.newBuilder().setWorkflowId(id)).build())
              .getWorkflowExecutionInfo().getStatus());
        }
        return states.values().stream().allMatch(s -> s == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED);
      }, () -> "workflows not completed: " + states);
    } finally {
      service.shutdownNow();
    }
  }
}
