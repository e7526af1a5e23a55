package org.segflow.cli;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.TaskQueueType;
import io.temporal.api.taskqueue.v1.PollerInfo;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.DescribeTaskQueueRequest;
import io.temporal.client.WorkflowClient;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.segflow.contract.Timestamps;

/** Who polls a workflow task queue, as the server saw it (DescribeTaskQueue: the last few minutes). */
final class TaskQueuePollers {

  private TaskQueuePollers() {}

  /** A sentence on the workflow pollers of {@code queue}; the Java test server cannot tell (UNIMPLEMENTED). */
  static String describe(WorkflowClient client, String queue) {
    try {
      List<PollerInfo> pollers = client.getWorkflowServiceStubs().blockingStub()
          .withDeadlineAfter(5, TimeUnit.SECONDS)
          .describeTaskQueue(DescribeTaskQueueRequest.newBuilder()
              .setNamespace(client.getOptions().getNamespace())
              .setTaskQueue(TaskQueue.newBuilder().setName(queue))
              .setTaskQueueType(TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW)
              .build())
          .getPollersList();
      if (pollers.isEmpty()) {
        return "no worker has polled " + queue + " lately: is `segflow worker --pool orchestrator` running?";
      }
      StringBuilder sb = new StringBuilder(queue).append(" is polled by");
      for (PollerInfo p : pollers) {
        sb.append(' ').append(p.getIdentity()).append(" (last ")
            .append(Timestamps.toInstant(p.getLastAccessTime()).truncatedTo(java.time.temporal.ChronoUnit.SECONDS)).append(')');
      }
      return sb.append(", yet none answered").toString();
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.UNIMPLEMENTED) {
        return "is a worker polling " + queue + "? (`segflow worker --pool orchestrator`; this server does not "
            + "list pollers)";
      }
      return "is a worker polling " + queue + "? (listing its pollers failed: " + e.getStatus().getCode() + ")";
    }
  }
}
