package org.segflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.WorkerFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segflow.contract.FoldResult;
import org.segflow.contract.PipelineRequest;
import org.segflow.contract.PipelineResult;
import org.segflow.contract.PipelineWorkflow;
import org.segflow.sample.FundusSampleGenerator;
import org.segflow.sample.SampleSpec;
import org.segflow.storage.SegflowPaths;
import org.segflow.train.Checkpoint;

/**
 * The issue's fault: a gpu worker PROCESS killed with SIGKILL in the middle of a fold. The test
 * server runs on 127.0.0.1 (ephemeral port), the orchestrator and cpu workers in this JVM, the gpu
 * worker as a child `segflow worker --pool gpu` process. Once a fold has checkpointed epoch 2 the
 * process is killed; a new gpu worker process gets the fold's retry after the (short) heartbeat
 * timeout, resumes from the checkpoint on disk, and the pipeline completes through find-best and
 * predict. Prints what the kill cost and the orchestration overhead measured from the history.
 */
class KilledGpuWorkerPipelineTest {

  private static final int EPOCHS = 4;
  private static final int HEARTBEAT_TIMEOUT_S = 8;

  @TempDir
  Path home;

  private final List<Process> workers = new ArrayList<>();

  @Test
  void sigkilledGpuWorkerFoldResumesFromItsCheckpointAndThePipelineCompletes() throws Exception {
    FundusSampleGenerator.generate(home.resolve("source"), new SampleSpec(8, 2, 64, 64, 11), true);
    Path trainer = home.resolve("results/Dataset009_Kill/nnUNetTrainer__nnUNetPlans__2d");
    try (ServerCommand.EmbeddedServer server = ServerCommand.EmbeddedServer.start("127.0.0.1", 0)) {
      String target = "127.0.0.1:" + server.port();
      WorkflowServiceStubs service = WorkflowServiceStubs.newServiceStubs(
          WorkflowServiceStubsOptions.newBuilder().setTarget(target).build());
      WorkflowClient client = WorkflowClient.newInstance(service,
          WorkflowClientOptions.newBuilder().setNamespace("default").build());
      WorkerFactory factory = WorkerFactory.newInstance(client);
      SegflowPaths paths = SegflowPaths.under(home);
      WorkerCommand.register(factory, WorkerCommand.Pool.ORCHESTRATOR, paths, 0, "cpu", 1);
      WorkerCommand.register(factory, WorkerCommand.Pool.CPU, paths, 0, "cpu", 1);
      factory.start();
      try {
        Process first = startGpuWorker(target, "gpu-worker-1.log");
        PipelineRequest request = new PipelineRequest("source", 9, "Kill", "gray", 8, EPOCHS, 4, 2, List.of(0, 1),
            "kill", HEARTBEAT_TIMEOUT_S);
        PipelineWorkflow wf = client.newWorkflowStub(PipelineWorkflow.class, WorkflowOptions.newBuilder()
            .setWorkflowId(request.workflowId()).setTaskQueue(PipelineWorkflow.TASK_QUEUE).build());
        WorkflowClient.start(wf::run, request);

        int killedFold = awaitCheckpoint(trainer, 2, first, home.resolve("gpu-worker-1.log"));
        first.destroyForcibly(); // SIGKILL: no shutdown hook, no last heartbeat, no cleanup
        assertTrue(first.waitFor(60, TimeUnit.SECONDS));
        long killedAtMillis = System.currentTimeMillis();
        Path foldDir = trainer.resolve("fold_" + killedFold);
        assertFalse(Files.exists(foldDir.resolve(Checkpoint.FINAL)), "killed in the middle of the fold");
        int savedEpoch = Checkpoint.read(foldDir.resolve(Checkpoint.LATEST)).state().currentEpoch();
        List<Double> savedLosses = Checkpoint.read(foldDir.resolve(Checkpoint.LATEST)).state().logging().trainLosses();
        int epochsDoneBeforeKill = epochLines(foldDir);

        startGpuWorker(target, "gpu-worker-2.log");
        PipelineResult r = WorkflowStub.fromTyped(wf).getResult(6, TimeUnit.MINUTES, PipelineResult.class);

        FoldResult killed = r.folds().get(killedFold);
        assertEquals(savedEpoch, killed.resumedFromEpoch(), "the retry resumed from the checkpoint on disk");
        assertTrue(killed.resumedFromEpoch() >= 2, "not from epoch 0");
        assertEquals(EPOCHS - savedEpoch, killed.epochsRun());
        assertTrue(trainingLogs(foldDir).stream().anyMatch(t -> t.contains("Resuming from a checkpoint at epoch "
            + savedEpoch)), "the second attempt's training log says where it resumed");
        for (int fold : List.of(0, 1)) {
          Checkpoint fin = Checkpoint.read(trainer.resolve("fold_" + fold).resolve(Checkpoint.FINAL));
          assertEquals(EPOCHS, fin.state().currentEpoch());
          assertEquals(EPOCHS, fin.state().logging().epochs(), "unbroken curves in fold " + fold);
        }
        assertEquals(savedLosses, Checkpoint.read(foldDir.resolve(Checkpoint.FINAL)).state().logging().trainLosses()
            .subList(0, savedEpoch), "the epochs before the kill were kept, not retrained");
        assertNotNull(r.findBest());
        assertTrue(Files.isRegularFile(home.resolve(r.findBest().inferenceInformation().path())));
        assertEquals(2, r.predicted().numCases());
        assertTrue(Files.isRegularFile(home.resolve(r.predicted().summary().path())));
        try (Stream<Path> overlays = Files.list(home.resolve(r.predicted().overlays()))) {
          assertEquals(2, overlays.count());
        }

        List<HistoryEvent> events = client.fetchHistory(request.workflowId()).getEvents();
        report(events, killedFold, savedEpoch, epochsDoneBeforeKill, killedAtMillis);
      } finally {
        workers.forEach(Process::destroyForcibly);
        factory.shutdownNow();
        service.shutdownNow();
      }
    }
  }

  private Process startGpuWorker(String target, String logName) throws IOException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    // C1 only: the worker's work is native (PyTorch); the JVM starts with less CPU
    Process p = new ProcessBuilder(java.toString(), "-Xmx2g", "-XX:TieredStopAtLevel=1", "-Dai.djl.offline=true",
        "-cp", System.getProperty("java.class.path"), SegflowCommand.class.getName(), "worker", "--pool", "gpu",
        "--temporal", target, "--device", "cpu", "--threads", "1", "--metrics-port", "0", "--home", home.toString())
        .redirectErrorStream(true).redirectOutput(home.resolve(logName).toFile()).start();
    workers.add(p);
    return p;
  }

  /** Polls (bounded) until some fold's checkpoint_latest holds {@code epoch} epochs; returns that fold. */
  private static int awaitCheckpoint(Path trainer, int epoch, Process worker, Path log) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
    while (System.nanoTime() < deadline) {
      if (!worker.isAlive()) {
        fail("the gpu worker exited with " + worker.exitValue() + ":\n" + Files.readString(log));
      }
      for (int fold : List.of(0, 1)) {
        Path latest = trainer.resolve("fold_" + fold).resolve(Checkpoint.LATEST);
        if (Files.exists(latest) && Checkpoint.read(latest).state().currentEpoch() >= epoch) {
          return fold;
        }
      }
      worker.waitFor(100, TimeUnit.MILLISECONDS);
    }
    fail("no fold checkpointed epoch " + epoch + " in time:\n" + Files.readString(log));
    return -1;
  }

  private static List<String> trainingLogs(Path foldDir) throws IOException {
    List<String> texts = new ArrayList<>();
    try (Stream<Path> files = Files.list(foldDir)) {
      for (Path f : files.filter(p -> p.getFileName().toString().startsWith("training_log_")).sorted().toList()) {
        texts.add(Files.readString(f));
      }
    }
    return texts;
  }

  /** Epochs finished according to the training logs (an epoch's "Epoch N" block is written at its end). */
  private static int epochLines(Path foldDir) throws IOException {
    return (int) trainingLogs(foldDir).stream().flatMap(String::lines)
        .filter(l -> l.matches(".*: Epoch \\d+$")).count();
  }

  /**
   * Prints the kill's cost and the orchestration overhead per activity measured on the history:
   * scheduled->started (queue wait: dispatch latency, or waiting for a busy worker) and the workflow
   * round trip from one activity's completion to the next activity's scheduling.
   */
  private static void report(List<HistoryEvent> events, int killedFold, int savedEpoch, int epochsDoneBeforeKill,
      long killedAtMillis) {
    Map<Long, Long> scheduledAt = new HashMap<>();
    Map<Long, String> names = new HashMap<>();
    List<String> scheduleToStart = new ArrayList<>();
    List<Long> workflowTask = new ArrayList<>();
    List<Long> completedToNextScheduled = new ArrayList<>();
    long lastCompleted = -1;
    long retryStartedAt = -1;
    long wtScheduled = -1;
    int trainFolds = 0;
    for (HistoryEvent e : events) {
      long t = e.getEventTime().getSeconds() * 1000 + e.getEventTime().getNanos() / 1_000_000;
      switch (e.getEventType()) {
        case EVENT_TYPE_ACTIVITY_TASK_SCHEDULED -> {
          scheduledAt.put(e.getEventId(), t);
          String name = e.getActivityTaskScheduledEventAttributes().getActivityType().getName();
          names.put(e.getEventId(), name.equals("TrainFold") ? name + "#" + trainFolds++ : name);
          if (lastCompleted >= 0) {
            completedToNextScheduled.add(t - lastCompleted);
            lastCompleted = -1;
          }
        }
        case EVENT_TYPE_ACTIVITY_TASK_STARTED -> {
          var a = e.getActivityTaskStartedEventAttributes();
          scheduleToStart.add(names.get(a.getScheduledEventId()) + (a.getAttempt() > 1 ? "(attempt " + a.getAttempt()
              + ")" : "") + " " + (t - scheduledAt.get(a.getScheduledEventId())));
          if (a.getAttempt() > 1) {
            retryStartedAt = t;
          }
        }
        case EVENT_TYPE_ACTIVITY_TASK_COMPLETED -> lastCompleted = t;
        case EVENT_TYPE_WORKFLOW_TASK_SCHEDULED -> wtScheduled = t;
        case EVENT_TYPE_WORKFLOW_TASK_COMPLETED -> workflowTask.add(t - wtScheduled);
        default -> { }
      }
    }
    System.out.printf(Locale.ROOT, "[kill] fold %d killed with %d epochs finished, checkpoint at epoch %d, resumed"
            + " from epoch %d: %d finished epoch(s) retrained plus the partial epoch in flight; the retry started"
            + " %.1f s after the kill (heartbeat timeout %d s)%n", killedFold, epochsDoneBeforeKill, savedEpoch,
        savedEpoch, epochsDoneBeforeKill - savedEpoch,
        retryStartedAt < 0 ? Double.NaN : (retryStartedAt - killedAtMillis) / 1e3, HEARTBEAT_TIMEOUT_S);
    System.out.printf(Locale.ROOT, "[overhead] scheduled->started ms (the last attempt's): %s; activity completed ->"
            + " next scheduled ms: %s; workflow task scheduled->completed ms: median %d, max %d over %d tasks%n",
        scheduleToStart, completedToNextScheduled, median(workflowTask),
        workflowTask.stream().mapToLong(Long::longValue).max().orElse(-1), workflowTask.size());
  }

  private static long median(List<Long> values) {
    List<Long> sorted = values.stream().sorted().toList();
    return sorted.isEmpty() ? -1 : sorted.get(sorted.size() / 2);
  }
}
