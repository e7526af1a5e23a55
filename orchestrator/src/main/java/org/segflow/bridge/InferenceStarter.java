package org.segflow.bridge;

import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.segflow.contract.InferenceRequest;
import org.segflow.contract.InferenceWorkflow;
import org.segflow.contract.RunMemo;

/**
 * Starts {@link InferenceWorkflow} under {@code infer-<dataset>-<sha256>}. Any workflow with that id the
 * server still holds, running or closed however it closed (completed, failed, cancelled, terminated, timed
 * out), makes the start a duplicate (no-op; REJECT_DUPLICATE): Kafka redelivers records after a bridge
 * crash and a restarted watcher announces files again, and neither may segment an image twice or put a
 * failed one in the dead-letter topic twice. An operator who fixed what made an image fail (a model promoted
 * for its dataset, say) retries it on purpose: delete its workflow ({@code temporal workflow delete
 * --workflow-id infer-...}) and announce the image again; closed workflows also free their id when the
 * namespace's retention removes them.
 *
 * <p>{@link #startAsync} overlaps up to {@value #DEFAULT_CONCURRENCY} start calls: each is one round
 * trip to Temporal, and a burst of events started one after the other waits that many round trips.
 * The threads are daemons that end when idle, so the starter needs no closing.
 */
public final class InferenceStarter {

  /** What a start did. */
  public enum Outcome { STARTED, DUPLICATE }

  public static final int DEFAULT_CONCURRENCY = 8;

  private final WorkflowClient client;
  private final ThreadPoolExecutor starts;

  public InferenceStarter(WorkflowClient client) {
    this(client, DEFAULT_CONCURRENCY);
  }

  public InferenceStarter(WorkflowClient client, int concurrency) {
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be >= 1, got " + concurrency);
    }
    this.client = client;
    AtomicInteger n = new AtomicInteger();
    this.starts = new ThreadPoolExecutor(concurrency, concurrency, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
        r -> {
          Thread t = new Thread(r, "segflow-bridge-start-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    starts.allowCoreThreadTimeOut(true);
  }

  /** Throws on anything but accepted or already existing (the caller retries; nothing is committed). */
  public Outcome start(InferenceRequest request) {
    InferenceWorkflow stub = client.newWorkflowStub(InferenceWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId(request.workflowId())
        .setTaskQueue(InferenceWorkflow.TASK_QUEUE)
        .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
        .setMemo(RunMemo.of(request))
        .build());
    try {
      WorkflowClient.start(stub::run, request);
      return Outcome.STARTED;
    } catch (WorkflowExecutionAlreadyStarted e) {
      return Outcome.DUPLICATE;
    }
  }

  /** {@link #start} on the starter's threads; the future fails as start would throw. */
  public CompletableFuture<Outcome> startAsync(InferenceRequest request) {
    return CompletableFuture.supplyAsync(() -> start(request), starts);
  }
}
