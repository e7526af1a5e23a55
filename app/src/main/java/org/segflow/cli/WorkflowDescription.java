package org.segflow.cli;

import io.temporal.api.common.v1.Payloads;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.failure.v1.Failure;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.client.WorkflowClient;
import io.temporal.common.converter.DataConverter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.segflow.contract.FoldHeartbeat;
import org.segflow.contract.FoldRequest;
import org.segflow.contract.PipelineResult;
import org.segflow.contract.Timestamps;

/**
 * A workflow as the server alone knows it, no worker needed: DescribeWorkflowExecution (status,
 * pending activities with attempt and last heartbeat) and its history (which fold each activity
 * trains; how a closed workflow ended).
 */
record WorkflowDescription(String workflowId, String type, WorkflowExecutionStatus status, String taskQueue,
    Instant started, Instant closed, List<PendingStep> pending, Ending ending) {

  static final String TRAIN_FOLD = "TrainFold";

  /** A scheduled or running activity; {@code fold} and {@code heartbeat} only for fold training. */
  record PendingStep(String activity, Integer fold, String state, int attempt, int maximumAttempts,
      Instant lastHeartbeat, FoldHeartbeat heartbeat, String otherHeartbeat, String lastFailure, String worker) {}

  /** How a closed workflow ended: its result (a pipeline's, or the raw JSON of another) or failure. */
  record Ending(PipelineResult pipelineResult, String summary) {}

  boolean isOpen() {
    return status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
  }

  static WorkflowDescription fetch(WorkflowClient client, String workflowId) {
    DescribeWorkflowExecutionResponse r = client.getWorkflowServiceStubs().blockingStub()
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
            .setNamespace(client.getOptions().getNamespace())
            .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
            .build());
    WorkflowExecutionInfo info = r.getWorkflowExecutionInfo();
    DataConverter converter = client.getOptions().getDataConverter();
    List<HistoryEvent> history = client.fetchHistory(workflowId, info.getExecution().getRunId()).getEvents();
    Map<String, Integer> foldOfActivity = foldsByActivityId(history, converter);
    List<PendingStep> pending = new ArrayList<>();
    for (PendingActivityInfo a : r.getPendingActivitiesList()) {
      pending.add(step(a, foldOfActivity.get(a.getActivityId()), converter));
    }
    boolean open = info.getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
    return new WorkflowDescription(workflowId, info.getType().getName(), info.getStatus(), info.getTaskQueue(),
        Timestamps.toInstant(info.getStartTime()), info.hasCloseTime() ? Timestamps.toInstant(info.getCloseTime()) : null, pending,
        open || history.isEmpty() ? null : ending(history.get(history.size() - 1), info.getType().getName(),
            converter));
  }

  private static Map<String, Integer> foldsByActivityId(List<HistoryEvent> history, DataConverter converter) {
    Map<String, Integer> folds = new HashMap<>();
    for (HistoryEvent e : history) {
      if (e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED
          && TRAIN_FOLD.equals(e.getActivityTaskScheduledEventAttributes().getActivityType().getName())) {
        var a = e.getActivityTaskScheduledEventAttributes();
        FoldRequest request = converter.fromPayloads(0, Optional.of(a.getInput()), FoldRequest.class,
            FoldRequest.class);
        folds.put(a.getActivityId(), request.fold());
      }
    }
    return folds;
  }

  private static PendingStep step(PendingActivityInfo a, Integer fold, DataConverter converter) {
    String type = a.getActivityType().getName();
    FoldHeartbeat heartbeat = null;
    String other = null;
    if (a.hasHeartbeatDetails() && a.getHeartbeatDetails().getPayloadsCount() > 0) {
      if (TRAIN_FOLD.equals(type)) {
        heartbeat = converter.fromPayloads(0, Optional.of(a.getHeartbeatDetails()), FoldHeartbeat.class,
            FoldHeartbeat.class);
      } else {
        other = json(a.getHeartbeatDetails());
      }
    }
    return new PendingStep(type, fold, a.getState().name().replace("PENDING_ACTIVITY_STATE_", "").toLowerCase(
        java.util.Locale.ROOT), a.getAttempt(), a.getMaximumAttempts(),
        a.hasLastHeartbeatTime() ? Timestamps.toInstant(a.getLastHeartbeatTime()) : null, heartbeat, other,
        a.hasLastFailure() ? a.getLastFailure().getMessage() : null, a.getLastWorkerIdentity());
  }

  private static Ending ending(HistoryEvent last, String workflowType, DataConverter converter) {
    return switch (last.getEventType()) {
      case EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED -> {
        Payloads result = last.getWorkflowExecutionCompletedEventAttributes().getResult();
        yield "PipelineWorkflow".equals(workflowType) && result.getPayloadsCount() > 0
            ? new Ending(converter.fromPayloads(0, Optional.of(result), PipelineResult.class, PipelineResult.class),
                "completed")
            : new Ending(null, "completed: " + shortened(json(result)));
      }
      case EVENT_TYPE_WORKFLOW_EXECUTION_FAILED ->
          new Ending(null, "failed: " + failure(last.getWorkflowExecutionFailedEventAttributes().getFailure()));
      case EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED -> new Ending(null, "cancelled");
      case EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED ->
          new Ending(null, "terminated: " + last.getWorkflowExecutionTerminatedEventAttributes().getReason());
      case EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT -> new Ending(null, "timed out");
      case EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW -> new Ending(null, "continued as new run "
          + last.getWorkflowExecutionContinuedAsNewEventAttributes().getNewExecutionRunId());
      default -> new Ending(null, "closed (" + last.getEventType() + ")");
    };
  }

  /** The failure's message and those of its causes, outermost first. */
  private static String failure(Failure f) {
    StringBuilder sb = new StringBuilder(f.getMessage());
    for (Failure c = f; c.hasCause(); ) {
      c = c.getCause();
      sb.append(" <- ").append(c.getMessage());
    }
    return sb.toString();
  }

  private static String json(Payloads p) {
    return p.getPayloadsCount() == 0 ? "" : p.getPayloads(0).getData().toStringUtf8();
  }

  private static String shortened(String s) {
    return s.length() <= 300 ? s : s.substring(0, 297) + "...";
  }

}
