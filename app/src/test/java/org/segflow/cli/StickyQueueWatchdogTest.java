package org.segflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.TaskQueueKind;
import io.temporal.api.enums.v1.WorkflowTaskFailedCause;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.PollWorkflowTaskQueueRequest;
import io.temporal.api.workflowservice.v1.PollWorkflowTaskQueueResponse;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.WorkerFactory;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The embedded server keeps sticky execution and still lets a workflow leave a dead worker: a task
 * scheduled on the sticky queue of a worker that stopped polling goes back to the normal queue once
 * that queue's schedule-to-start timeout has passed (the server's clock is moved on instead of waiting
 * 5 s), while a live worker's queue is never taken from it.
 */
class StickyQueueWatchdogTest {

  private static final String QUEUE = "sticky-watchdog-test";

  @WorkflowInterface
  public interface Counter {
    @WorkflowMethod
    int run(int pokes);

    @SignalMethod
    void poke();
  }

  public static class CounterImpl implements Counter {
    private int pokes;

    @Override
    public int run(int expected) {
      Workflow.await(() -> pokes >= expected);
      return pokes;
    }

    @Override
    public void poke() {
      pokes++;
    }
  }

  /** System time plus what the test has moved it on. */
  private final AtomicLong skipped = new AtomicLong();

  /** Workflow tasks the workers received, as "STICKY name" or "NORMAL name", in order. */
  private final List<String> received = new CopyOnWriteArrayList<>();

  /** Records, on the workers' side of the wire, which queue each workflow task came from. */
  private final ClientInterceptor taskRecorder = new ClientInterceptor() {
    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
      ClientCall<Q, R> call = next.newCall(method, options);
      if (!method.getFullMethodName().endsWith("/PollWorkflowTaskQueue")) {
        return call;
      }
      return new ForwardingClientCall.SimpleForwardingClientCall<>(call) {
        private TaskQueue queue;

        @Override
        public void sendMessage(Q message) {
          queue = ((PollWorkflowTaskQueueRequest) message).getTaskQueue();
          super.sendMessage(message);
        }

        @Override
        public void start(Listener<R> listener, Metadata headers) {
          super.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
            @Override
            public void onMessage(R message) {
              if (!((PollWorkflowTaskQueueResponse) message).getTaskToken().isEmpty()) {
                received.add((queue.getKind() == TaskQueueKind.TASK_QUEUE_KIND_STICKY ? "STICKY " : "NORMAL ")
                    + queue.getName());
              }
              super.onMessage(message);
            }
          }, headers);
        }
      };
    }
  };

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void aTaskWaitingOnADeadWorkersStickyQueueMovesToAnotherWorker() throws Exception {
    try (ServerCommand.EmbeddedServer server = ServerCommand.EmbeddedServer.start("127.0.0.1", 0,
        () -> System.nanoTime() + skipped.get())) {
      WorkflowServiceStubs service = stubs(server);
      WorkflowClient client = WorkflowClient.newInstance(service);
      WorkerFactory first = worker(client);
      Counter counter = startedOnAStickyQueue(client, "dead-sticky", 2);
      WorkflowExecution execution = WorkflowStub.fromTyped(counter).getExecution();
      String deadQueue = stickyQueue();
      assertTrue(server.stickyPollers().known().stream().anyMatch(q -> q.name().equals(deadQueue)),
          "the first worker's sticky queue " + deadQueue + " is known: " + server.stickyPollers().known());

      first.shutdownNow(); // stops polling without telling the server, as a killed process would
      first.awaitTermination(10, TimeUnit.SECONDS);
      WorkerFactory second = worker(client);
      counter.poke(); // its task is scheduled on the first worker's sticky queue
      skipped.addAndGet(Duration.ofSeconds(6).toNanos());

      int pokes = WorkflowStub.fromTyped(counter).getResult(60, TimeUnit.SECONDS, Integer.class);
      assertEquals(2, pokes);
      assertTrue(received.get(received.size() - 1).startsWith("NORMAL "),
          "the last task came from the normal queue: " + received);
      assertTrue(server.watchdog().moved() >= 1, "the watchdog moved the task: " + server.watchdog().moved());
      assertTrue(history(client, execution).stream().anyMatch(e -> e.getEventType()
              == EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED
              && e.getWorkflowTaskFailedEventAttributes().getCause()
              == WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_RESET_STICKY_TASK_QUEUE),
          "the history shows the reset of the sticky queue");
      second.shutdownNow();
      service.shutdownNow();
    }
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void aLiveWorkerKeepsItsWorkflowOnItsStickyQueue() throws Exception {
    try (ServerCommand.EmbeddedServer server = ServerCommand.EmbeddedServer.start("127.0.0.1", 0,
        () -> System.nanoTime() + skipped.get())) {
      WorkflowServiceStubs service = stubs(server);
      WorkflowClient client = WorkflowClient.newInstance(service);
      WorkerFactory worker = worker(client);
      Counter counter = startedOnAStickyQueue(client, "live-sticky", 3);
      WorkflowExecution execution = WorkflowStub.fromTyped(counter).getExecution();
      String queue = stickyQueue();
      awaitOpenPoll(server, queue);
      skipped.addAndGet(Duration.ofSeconds(60).toNanos());
      assertTrue(server.stickyPollers().abandoned().isEmpty(),
          "a polled queue is never abandoned: " + server.stickyPollers().abandoned());

      counter.poke();
      counter.poke();
      assertEquals(3, WorkflowStub.fromTyped(counter).getResult(60, TimeUnit.SECONDS, Integer.class));
      assertTrue(received.size() >= 3, "workflow tasks received: " + received);
      assertTrue(received.stream().skip(1).allMatch(r -> r.equals("STICKY " + queue)),
          "every task after the first came from the worker's sticky queue: " + received);
      assertEquals(0, server.watchdog().moved());
      worker.shutdownNow();
      service.shutdownNow();
    }
  }

  /**
   * A counter workflow waiting for {@code pokes} pokes, one given: its first task went to the normal
   * queue, the poke's to the worker's sticky queue.
   */
  private static Counter startedOnAStickyQueue(WorkflowClient client, String id, int pokes)
      throws InterruptedException {
    Counter counter = client.newWorkflowStub(Counter.class,
        WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(QUEUE).build());
    WorkflowExecution execution = WorkflowClient.start(counter::run, pokes);
    awaitCompletedWorkflowTasks(client, execution, 1);
    counter.poke();
    awaitCompletedWorkflowTasks(client, execution, 2);
    return counter;
  }

  private WorkflowServiceStubs stubs(ServerCommand.EmbeddedServer server) {
    return WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
        .setTarget("127.0.0.1:" + server.port()).setGrpcClientInterceptors(List.of(taskRecorder)).build());
  }

  private static WorkerFactory worker(WorkflowClient client) {
    WorkerFactory factory = WorkerFactory.newInstance(client);
    factory.newWorker(QUEUE).registerWorkflowImplementationTypes(CounterImpl.class);
    factory.start();
    return factory;
  }

  private static List<HistoryEvent> history(WorkflowClient client, WorkflowExecution execution) {
    return client.fetchHistory(execution.getWorkflowId(), execution.getRunId()).getEvents();
  }

  private static void awaitCompletedWorkflowTasks(WorkflowClient client, WorkflowExecution execution, int count)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (history(client, execution).stream()
        .filter(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED).count() < count) {
      assertTrue(System.nanoTime() < deadline, count + " workflow tasks completed within 60 s");
      Thread.sleep(50);
    }
  }

  /** The sticky queue the last workflow task came from. */
  private String stickyQueue() {
    return received.stream().filter(r -> r.startsWith("STICKY ")).reduce((a, b) -> b)
        .orElseThrow(() -> new AssertionError("no task came from a sticky queue: " + received)).substring(7);
  }

  private static void awaitOpenPoll(ServerCommand.EmbeddedServer server, String queue) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (server.stickyPollers().openPolls(queue) == 0) {
      assertTrue(System.nanoTime() < deadline, "the worker polls its sticky queue " + queue);
      Thread.sleep(20);
    }
  }
}
