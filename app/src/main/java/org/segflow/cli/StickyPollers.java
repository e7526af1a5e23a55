package org.segflow.cli;

import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.temporal.api.enums.v1.TaskQueueKind;
import io.temporal.api.workflowservice.v1.PollWorkflowTaskQueueRequest;
import io.temporal.api.workflowservice.v1.RespondWorkflowTaskCompletedRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * Watches, on the embedded server's gRPC calls, which sticky task queues have a worker polling them.
 * A worker that completes a workflow task names its own sticky queue and how long a task may wait
 * there (the schedule-to-start timeout, 5 s by default); its sticky poller then long-polls that queue
 * without a break. A queue with no open poll for longer than its timeout belongs to a worker that is
 * gone: {@link StickyQueueWatchdog} moves its waiting task back to the normal queue, as a real server
 * does and the Java test server does not.
 */
final class StickyPollers implements ServerInterceptor {

  /** The watchdog polls abandoned queues under this identity; its polls do not keep a queue alive. */
  static final String WATCHDOG_IDENTITY = "segflow-server-sticky-queue-watchdog";

  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  record StickyQueue(String namespace, String name) {}

  private static final class Pollers {
    long timeoutNanos;
    int open;
    long lastPollNanos;

    Pollers(long timeoutNanos, long now) {
      this.timeoutNanos = timeoutNanos;
      this.lastPollNanos = now;
    }
  }

  private final LongSupplier nanoClock;
  private final Map<StickyQueue, Pollers> queues = new ConcurrentHashMap<>();

  StickyPollers(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
  }

  /** The sticky queues workers have named so far. */
  List<StickyQueue> known() {
    return List.copyOf(queues.keySet());
  }

  /** Polls open now on a sticky queue, the watchdog's own excepted. */
  int openPolls(String name) {
    return queues.entrySet().stream().filter(e -> e.getKey().name().equals(name))
        .mapToInt(e -> { synchronized (e.getValue()) { return e.getValue().open; } }).sum();
  }

  /** Queues nobody has polled for longer than their schedule-to-start timeout. */
  List<StickyQueue> abandoned() {
    long now = nanoClock.getAsLong();
    return queues.entrySet().stream().filter(e -> {
      Pollers p = e.getValue();
      synchronized (p) {
        return p.open == 0 && now - p.lastPollNanos > p.timeoutNanos;
      }
    }).map(Map.Entry::getKey).collect(Collectors.toList());
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    ServerCall.Listener<Q> listener = next.startCall(call, headers);
    String method = call.getMethodDescriptor().getFullMethodName();
    if (method.endsWith("/RespondWorkflowTaskCompleted")) {
      return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
        @Override
        public void onMessage(Q message) {
          bound((RespondWorkflowTaskCompletedRequest) message);
          super.onMessage(message);
        }
      };
    }
    if (method.endsWith("/PollWorkflowTaskQueue")) {
      return new PollListener<>(listener);
    }
    return listener;
  }

  private void bound(RespondWorkflowTaskCompletedRequest completion) {
    if (!completion.hasStickyAttributes()) {
      return;
    }
    var sticky = completion.getStickyAttributes();
    var sent = sticky.getScheduleToStartTimeout(); // zero when the worker sent none
    Duration timeout = Duration.ofSeconds(sent.getSeconds(), sent.getNanos());
    long nanos = (timeout.isZero() ? DEFAULT_TIMEOUT : timeout).toNanos();
    Pollers pollers = queues.computeIfAbsent(
        new StickyQueue(completion.getNamespace(), sticky.getWorkerTaskQueue().getName()),
        q -> new Pollers(nanos, nanoClock.getAsLong()));
    synchronized (pollers) {
      pollers.timeoutNanos = nanos;
    }
  }

  /** Counts one sticky poll as open from its request until the call ends, however it ends. */
  private final class PollListener<Q> extends ForwardingServerCallListener.SimpleForwardingServerCallListener<Q> {
    private Pollers counted;

    PollListener(ServerCall.Listener<Q> delegate) {
      super(delegate);
    }

    @Override
    public void onMessage(Q message) {
      PollWorkflowTaskQueueRequest poll = (PollWorkflowTaskQueueRequest) message;
      if (poll.getTaskQueue().getKind() == TaskQueueKind.TASK_QUEUE_KIND_STICKY
          && !WATCHDOG_IDENTITY.equals(poll.getIdentity())) {
        long now = nanoClock.getAsLong();
        // a worker may poll its sticky queue before its first completion names it
        counted = queues.computeIfAbsent(new StickyQueue(poll.getNamespace(), poll.getTaskQueue().getName()),
            q -> new Pollers(DEFAULT_TIMEOUT.toNanos(), now));
        synchronized (counted) {
          counted.open++;
          counted.lastPollNanos = now;
        }
      }
      super.onMessage(message);
    }

    @Override
    public void onComplete() {
      closed();
      super.onComplete();
    }

    @Override
    public void onCancel() {
      closed();
      super.onCancel();
    }

    private void closed() {
      if (counted != null) {
        synchronized (counted) {
          counted.open--;
          counted.lastPollNanos = nanoClock.getAsLong();
        }
        counted = null;
      }
    }
  }
}
