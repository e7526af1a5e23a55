package org.segflow.cli;

import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.Status;
import io.temporal.api.enums.v1.QueryResultType;
import io.temporal.api.enums.v1.TaskQueueKind;
import io.temporal.api.enums.v1.WorkflowTaskFailedCause;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.PollWorkflowTaskQueueRequest;
import io.temporal.api.workflowservice.v1.PollWorkflowTaskQueueResponse;
import io.temporal.api.workflowservice.v1.RespondQueryTaskCompletedRequest;
import io.temporal.api.workflowservice.v1.RespondWorkflowTaskFailedRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.segflow.cli.StickyPollers.StickyQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the embedded test server the sticky timeout a real Temporal server has. Every second it
 * long-polls each sticky queue that {@link StickyPollers} reports abandoned; a workflow task found
 * there is failed with RESET_STICKY_TASK_QUEUE, which makes the server drop the workflow's stickiness
 * and schedule the task again on the normal queue, where any orchestrator takes it and replays the
 * history. So a killed orchestrator costs one schedule-to-start timeout, and a live one keeps its
 * cached workflow (no replay per task). A query waiting there is refused at once (a real server would
 * send it to the normal queue; `segflow status` then answers from the server's own view).
 */
final class StickyQueueWatchdog implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(StickyQueueWatchdog.class);
  private static final long POLL_SECONDS = 30;

  private final StickyPollers pollers;
  private final WorkflowServiceStubs service;
  private final ScheduledExecutorService ticker;
  private final Set<StickyQueue> draining = ConcurrentHashMap.newKeySet();
  private final AtomicLong moved = new AtomicLong();

  private StickyQueueWatchdog(StickyPollers pollers, WorkflowServiceStubs service) {
    this.pollers = pollers;
    this.service = service;
    this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "segflow-sticky-queue-watchdog");
      t.setDaemon(true);
      return t;
    });
  }

  /** Starts watching the server at {@code target} (host:port), once a second. */
  static StickyQueueWatchdog start(StickyPollers pollers, String target) {
    WorkflowServiceStubs service = WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder().setTarget(target).build());
    StickyQueueWatchdog watchdog = new StickyQueueWatchdog(pollers, service);
    watchdog.ticker.scheduleWithFixedDelay(watchdog::tick, 1, 1, TimeUnit.SECONDS);
    return watchdog;
  }

  /** Workflow tasks moved off abandoned sticky queues so far. */
  long moved() {
    return moved.get();
  }

  private void tick() {
    for (StickyQueue queue : pollers.abandoned()) {
      if (draining.add(queue)) {
        drain(queue);
      }
    }
  }

  private void drain(StickyQueue queue) {
    PollWorkflowTaskQueueRequest poll = PollWorkflowTaskQueueRequest.newBuilder()
        .setNamespace(queue.namespace())
        .setTaskQueue(TaskQueue.newBuilder().setName(queue.name()).setKind(TaskQueueKind.TASK_QUEUE_KIND_STICKY))
        .setIdentity(StickyPollers.WATCHDOG_IDENTITY)
        .build();
    ListenableFuture<PollWorkflowTaskQueueResponse> task;
    try {
      task = service.futureStub().withDeadlineAfter(POLL_SECONDS, TimeUnit.SECONDS).pollWorkflowTaskQueue(poll);
    } catch (RuntimeException e) {
      draining.remove(queue);
      LOG.warn("Could not poll abandoned sticky queue {}: {}", queue.name(), e.toString());
      return;
    }
    task.addListener(() -> {
      try {
        PollWorkflowTaskQueueResponse response = task.get();
        if (response.hasQuery()) {
          refuseQuery(queue, response);
        } else if (!response.getTaskToken().isEmpty()) {
          moveToNormalQueue(queue, response);
        }
      } catch (ExecutionException e) {
        Status.Code code = Status.fromThrowable(e.getCause()).getCode();
        if (code != Status.Code.DEADLINE_EXCEEDED && code != Status.Code.CANCELLED && !ticker.isShutdown()) {
          LOG.warn("Polling abandoned sticky queue {} failed: {}", queue.name(), e.getCause().toString());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (RuntimeException e) {
        LOG.warn("Could not move a task off abandoned sticky queue {}: {}", queue.name(), e.toString());
      } finally {
        draining.remove(queue);
      }
    }, this::whileOpen);
  }

  /** Runs on the watchdog's thread; a poll that ends after close is dropped with the server. */
  private void whileOpen(Runnable r) {
    try {
      ticker.execute(r);
    } catch (java.util.concurrent.RejectedExecutionException closed) {
      // closed: nothing left to move
    }
  }

  private void moveToNormalQueue(StickyQueue queue, PollWorkflowTaskQueueResponse task) {
    service.blockingStub().respondWorkflowTaskFailed(RespondWorkflowTaskFailedRequest.newBuilder()
        .setNamespace(queue.namespace())
        .setTaskToken(task.getTaskToken())
        .setCause(WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_RESET_STICKY_TASK_QUEUE)
        .setIdentity(StickyPollers.WATCHDOG_IDENTITY)
        .build());
    moved.incrementAndGet();
    LOG.info("Workflow {} waited on sticky queue {}, which no worker has polled for its schedule-to-start "
        + "timeout: its task goes back to the normal queue", task.getWorkflowExecution().getWorkflowId(), queue.name());
  }

  /** A query sent to a gone worker's queue is answered at once rather than left to time out. */
  private void refuseQuery(StickyQueue queue, PollWorkflowTaskQueueResponse task) {
    service.blockingStub().respondQueryTaskCompleted(RespondQueryTaskCompletedRequest.newBuilder()
        .setNamespace(queue.namespace())
        .setTaskToken(task.getTaskToken())
        .setCompletedType(QueryResultType.QUERY_RESULT_TYPE_FAILED)
        .setErrorMessage("the worker that last ran workflow " + task.getWorkflowExecution().getWorkflowId()
            + " stopped polling its sticky queue " + queue.name() + "; no worker answers for it now")
        .build());
  }

  @Override
  public void close() {
    ticker.shutdownNow();
    service.shutdownNow();
  }
}
