package org.segflow.cli;

import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.segflow.contract.PipelineProgress;
import org.segflow.contract.PipelineWorkflow;

/**
 * The pipeline's progress() query with one deadline over the whole call. A query is answered by a
 * worker polling the workflow's task queue; with none, the server holds it until the RPC deadline
 * (rpcQueryTimeout, 10 s) and the SDK retries DEADLINE_EXCEEDED for a minute. A gRPC Context
 * deadline bounds both: each attempt's deadline and the retryer, which stops once it has passed.
 */
final class ProgressQuery {

  /** The progress, or why there is none ({@code unanswered}). */
  record Answer(PipelineProgress progress, String unanswered) {
    boolean answered() {
      return progress != null;
    }
  }

  /** Fires the deadlines; one daemon thread for the process (pipeline run asks every few seconds). */
  private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "segflow-query-deadline");
    t.setDaemon(true);
    return t;
  });

  private ProgressQuery() {}

  static Answer ask(WorkflowClient client, String workflowId, Duration timeout) {
    return ask(client.newWorkflowStub(PipelineWorkflow.class, workflowId), timeout);
  }

  static Answer ask(PipelineWorkflow workflow, Duration timeout) {
    Context.CancellableContext bounded = Context.current().withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS,
        TIMER);
    try {
      return new Answer(bounded.call(workflow::progress),
          null);
    } catch (WorkflowNotFoundException e) {
      throw e;
    } catch (Exception e) {
      return new Answer(null, reason(e, timeout));
    } finally {
      bounded.cancel(null);
    }
  }

  private static String reason(Throwable e, Duration timeout) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof StatusRuntimeException s) {
        Status.Code code = s.getStatus().getCode();
        if (code == Status.Code.DEADLINE_EXCEEDED || code == Status.Code.CANCELLED) {
          return "no worker answered within " + timeout.toMillis() + " ms";
        }
        return code + ": " + s.getStatus().getDescription();
      }
    }
    return e.getClass().getSimpleName() + ": " + e.getMessage();
  }
}
