package org.segflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityOptions;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.RetryOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.WorkerFactory;
import io.temporal.workflow.Workflow;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.segflow.contract.ConvertResult;
import org.segflow.contract.FingerprintResult;
import org.segflow.contract.IngestResult;
import org.segflow.contract.FoldHeartbeat;
import org.segflow.contract.FoldProgress;
import org.segflow.contract.FoldRequest;
import org.segflow.contract.FoldResult;
import org.segflow.contract.PipelineProgress;
import org.segflow.contract.PipelineRequest;
import org.segflow.contract.PipelineResult;
import org.segflow.contract.PipelineStage;
import org.segflow.contract.PipelineWorkflow;
import org.segflow.contract.PlanResult;
import org.segflow.contract.PredictRequest;
import org.segflow.contract.PredictResult;
import org.segflow.contract.StepRef;
import org.segflow.contract.TrainingActivities;

/**
 * `segflow status` with and without an orchestrator worker to answer the progress query: answered,
 * the fold table; unanswered (the worker was killed), promptly the server's view instead: the fold's
 * activity with its attempt and last heartbeat {epoch, checkpoint, best EMA}; once closed, the result.
 */
class StatusFallbackTest {

  private static final String CHECKPOINT = "results/Dataset007_St/nnUNetTrainer__nnUNetPlans__2d/fold_0/"
      + "checkpoint_latest.zip";

  @Test
  void statusAnswersFromTheServerWhenNoOrchestratorWorkerAnswersTheQuery() throws Exception {
    try (ServerCommand.EmbeddedServer server = ServerCommand.EmbeddedServer.start("127.0.0.1", 0)) {
      String target = "127.0.0.1:" + server.port();
      WorkflowServiceStubs service = WorkflowServiceStubs.newServiceStubs(
          WorkflowServiceStubsOptions.newBuilder().setTarget(target).build());
      WorkflowClient client = WorkflowClient.newInstance(service,
          WorkflowClientOptions.newBuilder().setNamespace("default").build());
      HeldFold fold = new HeldFold();
      WorkerFactory gpu = WorkerFactory.newInstance(client);
      gpu.newWorker(TrainingActivities.TASK_QUEUE).registerActivitiesImplementations(fold);
      gpu.start();
      WorkerFactory orchestrator = orchestrator(client);
      try {
        // A: runs to its end while the orchestrator worker is up
        PipelineRequest doneRequest = new PipelineRequest("source", 7, "St", "gray", 8, 4, 2, 1, List.of(0), "a");
        PipelineWorkflow done = start(client, doneRequest);
        assertTrue(fold.beating.await(30, TimeUnit.SECONDS), "the fold is running and has beaten");
        long t0 = System.nanoTime();
        String answered = run("status", doneRequest.workflowId(), "--temporal", target);
        long answeredMillis = millisSince(t0);
        assertTrue(answered.startsWith(doneRequest.workflowId() + ": train"), answered);
        assertTrue(answered.lines().anyMatch(l -> l.matches("\\s+0\\s+2/4\\s.*running")), answered);
        fold.release.countDown();
        WorkflowStub.fromTyped(done).getResult(60, TimeUnit.SECONDS, PipelineResult.class);
        String closedAnswered = run("status", doneRequest.workflowId(), "--temporal", target);
        assertTrue(closedAnswered.startsWith(doneRequest.workflowId() + ": done"), closedAnswered);
        assertTrue(closedAnswered.contains(doneRequest.workflowId() + " completed at "), closedAnswered);

        // B: its fold is training when the orchestrator worker is killed
        fold.arm();
        PipelineRequest request = new PipelineRequest("source", 7, "St", "gray", 8, 4, 2, 1, List.of(0), "b");
        start(client, request);
        assertTrue(fold.beating.await(30, TimeUnit.SECONDS), "the fold is running and has beaten");
        awaitHeartbeatRecorded(client, request.workflowId());
        orchestrator.shutdownNow();
        orchestrator.awaitTermination(10, TimeUnit.SECONDS);

        t0 = System.nanoTime();
        String fallback = run("status", request.workflowId(), "--temporal", target, "--query-timeout", "2s");
        long fallbackMillis = millisSince(t0);
        assertTrue(fallback.startsWith(request.workflowId() + ": running (PipelineWorkflow on segflow-orchestrator"),
            fallback);
        assertTrue(fallback.contains("progress query not answered: no worker answered within 2000 ms; "
            + "is a worker polling segflow-orchestrator?"), fallback);
        assertTrue(fallback.lines().anyMatch(l -> l.matches("TrainFold\\s+0\\s+1/3\\s+started\\s+\\S+Z \\(\\d+ s ago\\)"
            + "\\s+2\\s+0\\.6100\\s+" + CHECKPOINT)), fallback);
        assertTrue(fallbackMillis < 6_000, "bounded by the query timeout, not the SDK's minute of retries: "
            + fallbackMillis + " ms");

        t0 = System.nanoTime();
        String closed = run("status", doneRequest.workflowId(), "--temporal", target, "--query-timeout", "2s");
        long closedMillis = millisSince(t0);
        assertTrue(closed.startsWith(doneRequest.workflowId() + ": completed (PipelineWorkflow"), closed);
        assertTrue(closed.contains(doneRequest.workflowId() + " completed at "), closed);
        assertTrue(closed.contains("Done: Dataset007_St (ingest ran, convert ran, fingerprint ran, plan cached; no fold from the fold cache)"), closed);
        assertTrue(closed.contains("fold 0: validation Dice 0.7000, best EMA 0.6100, "
            + "results/Dataset007_St/nnUNetTrainer__nnUNetPlans__2d/fold_0/checkpoint_final.zip"), closed);
        System.out.printf("status: answered %d ms; unanswered (worker killed, --query-timeout 2s) %d ms; closed, "
            + "no worker %d ms%n%s%s", answeredMillis, fallbackMillis, closedMillis, fallback, closed);
      } finally {
        fold.release.countDown();
        orchestrator.shutdownNow();
        gpu.shutdownNow();
        service.shutdownNow();
      }
    }
  }

  @Test
  void anUnknownWorkflowIsAnError() throws Exception {
    try (ServerCommand.EmbeddedServer server = ServerCommand.EmbeddedServer.start("127.0.0.1", 0)) {
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      PrintStream old = System.err;
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code;
      try {
        code = SegflowCommand.commandLine().execute("status", "pipeline-nope",
            "--temporal", "127.0.0.1:" + server.port());
      } finally {
        System.setErr(old);
      }
      assertEquals(3, code, "an unknown workflow id is invalid input");
      assertTrue(!err.toString(StandardCharsets.UTF_8).contains("\tat "), "one line, no stack trace");
      assertTrue(err.toString(StandardCharsets.UTF_8).contains("no workflow pipeline-nope in namespace default"),
          err.toString(StandardCharsets.UTF_8));
    }
  }

  private static PipelineWorkflow start(WorkflowClient client, PipelineRequest request) {
    PipelineWorkflow wf = client.newWorkflowStub(PipelineWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId(request.workflowId()).setTaskQueue(PipelineWorkflow.TASK_QUEUE).build());
    WorkflowClient.start(wf::run, request);
    return wf;
  }

  private static WorkerFactory orchestrator(WorkflowClient client) {
    WorkerFactory f = WorkerFactory.newInstance(client);
    f.newWorker(PipelineWorkflow.TASK_QUEUE).registerWorkflowImplementationTypes(OneFoldPipeline.class);
    f.start();
    return f;
  }

  /** The describe answer carries the heartbeat once the server has recorded it (the SDK sends it async). */
  private static void awaitHeartbeatRecorded(WorkflowClient client, String workflowId) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      boolean recorded = client.getWorkflowServiceStubs().blockingStub().describeWorkflowExecution(
              DescribeWorkflowExecutionRequest.newBuilder().setNamespace("default")
                  .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId)).build())
          .getPendingActivitiesList().stream().anyMatch(a -> a.hasHeartbeatDetails());
      if (recorded) {
        return;
      }
      Thread.sleep(50); // poll interval; the deadline bounds the wait
    }
    throw new AssertionError("no heartbeat recorded in 30 s");
  }

  private static long millisSince(long t0) {
    return (System.nanoTime() - t0) / 1_000_000;
  }

  private static String run(String... args) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream old = System.out;
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    int code;
    try {
      code = new picocli.CommandLine(new SegflowCommand()).execute(args);
    } finally {
      System.setOut(old);
    }
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertEquals(0, code, out);
    return out;
  }

  /** A pipeline cut down to one fold's training, with the real contract's query. */
  public static final class OneFoldPipeline implements PipelineWorkflow {
    private PipelineStage stage = PipelineStage.TRAIN;
    private FoldProgress fold = new FoldProgress(0, 2, 4, 0.5, 0.6, 0.55, 0.58, 0.61,
        org.segflow.contract.FoldState.RUNNING);

    @Override
    public PipelineResult run(PipelineRequest r) {
      TrainingActivities gpu = Workflow.newActivityStub(TrainingActivities.class, ActivityOptions.newBuilder()
          .setTaskQueue(TrainingActivities.TASK_QUEUE)
          .setStartToCloseTimeout(Duration.ofMinutes(10))
          .setHeartbeatTimeout(Duration.ofMinutes(1))
          .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(3).build())
          .build());
      FoldResult f = gpu.trainFold(new FoldRequest(r.datasetId() == 7 ? "Dataset007_St" : "?", 0, "2d",
          new StepRef("preprocessed/Dataset007_St/nnUNetPlans.json", "p"), "k", r.epochs(), 2, 1));
      stage = PipelineStage.DONE;
      fold = new FoldProgress(0, 4, 4, 0.4, 0.5, 0.6, 0.6, 0.61, org.segflow.contract.FoldState.DONE);
      return new PipelineResult(
          new IngestResult("Dataset007_St", "crop_folders",
              new StepRef("ingest/Dataset007_St/source_manifest.json", "i"), 6, 1, 14, "i", false),
          new ConvertResult("Dataset007_St", new StepRef("raw/Dataset007_St/dataset.json", "m"), 6, 1, "c", false),
          new FingerprintResult("Dataset007_St",
              new StepRef("preprocessed/Dataset007_St/dataset_fingerprint.json", "f"), 6, "f", false),
          new PlanResult("Dataset007_St", new StepRef("preprocessed/Dataset007_St/nnUNetPlans.json", "p"),
              new StepRef("preprocessed/Dataset007_St/splits_final.json", "s"), 6, "k", true),
          List.of(f), List.of(), null, null);
    }

    @Override
    public PipelineProgress progress() {
      return new PipelineProgress(stage, List.of(fold));
    }

    @Override
    public void foldProgress(FoldProgress progress) {
      fold = progress;
    }
  }

  /** A fold that heartbeats {epoch 2, its checkpoint, best EMA 0.61} and runs until released. */
  static final class HeldFold implements TrainingActivities {
    volatile CountDownLatch beating = new CountDownLatch(1);
    volatile CountDownLatch release = new CountDownLatch(1);

    /** The next fold to start beats and is held again. */
    void arm() {
      beating = new CountDownLatch(1);
      release = new CountDownLatch(1);
    }

    @Override
    public FoldResult trainFold(FoldRequest r) {
      CountDownLatch held = release;
      Activity.getExecutionContext().heartbeat(new FoldHeartbeat(2, CHECKPOINT, 0.61));
      beating.countDown();
      try {
        if (!held.await(60, TimeUnit.SECONDS)) {
          throw new IllegalStateException("never released");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      return new FoldResult(0, new StepRef(CHECKPOINT.replace("latest", "final"), "f"), null, 0, 4, 0.61, 0.7);
    }

    @Override
    public PredictResult predict(PredictRequest r) {
      throw new UnsupportedOperationException("this pipeline predicts nothing");
    }
  }
}
