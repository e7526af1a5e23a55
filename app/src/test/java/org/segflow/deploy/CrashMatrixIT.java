package org.segflow.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.WorkflowTaskFailedCause;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segflow.contract.FoldResult;
import org.segflow.contract.PipelineResult;
import org.segflow.events.SegmentationCompleted;
import org.segflow.sample.FundusSampleGenerator;
import org.segflow.sample.SampleSpec;
import org.segflow.train.Checkpoint;

/**
 * The crash matrix on the docker-compose topology, every process its own OS process ({@link LocalStack}):
 * one row per test, each killing one process at its worst moment and asserting what the README's
 * "Reliability" table states. Each prints one {@code [crash]} line with the measured figures.
 */
class CrashMatrixIT {

  private static final int EPOCHS = 4;
  private static final int HEARTBEAT_TIMEOUT_S = 8;

  @TempDir
  Path dir;

  @Test
  void gpuWorkerKilledMidFoldResumesFromItsCheckpoint() throws Exception {
    try (LocalStack stack = compose()) {
      LocalStack.Cli pipeline = startPipeline(stack, 31, "KillGpu");
      Path fold = foldDir(stack, "Dataset031_KillGpu");
      int saved = awaitCheckpoint(stack, fold, 2);
      int finishedBeforeKill = finishedEpochs(fold);
      stack.kill("worker-gpu"); // SIGKILL: no hook, no last heartbeat; compose's restart policy starts a new one
      long killedAt = System.nanoTime();
      assertFalse(Files.exists(fold.resolve(Checkpoint.FINAL)), "killed in the middle of the fold");
      pipeline.await(Duration.ofMinutes(6));

      FoldResult r = result(stack, "pipeline-Dataset031_KillGpu-crash").folds().get(0);
      int lost = finishedBeforeKill - r.resumedFromEpoch();
      assertTrue(r.resumedFromEpoch() >= saved, "resumed from the checkpoint on disk, not from epoch 0: " + r);
      assertTrue(lost <= 1, "at most one finished epoch retrained: " + lost);
      assertEquals(EPOCHS, Checkpoint.read(fold.resolve(Checkpoint.FINAL)).state().logging().epochs(), "unbroken curves");
      assertEquals(2, stack.get("worker-gpu").starts, "restarted once by the restart policy");
      System.out.printf(Locale.ROOT, "[crash] gpu worker kill -9 mid-fold: %d epochs finished, resumed from epoch %d"
              + " (%d finished epoch(s) retrained + the epoch in flight), pipeline completed %.0f s after the kill"
              + " (heartbeat timeout %d s)%n", finishedBeforeKill, r.resumedFromEpoch(), lost,
          (System.nanoTime() - killedAt) / 1e9, HEARTBEAT_TIMEOUT_S);
    }
  }

  @Test
  void gpuWorkerStoppedMidFoldHandsItsFoldToAnother() throws Exception {
    try (LocalStack stack = compose()) {
      // a second gpu worker, as `docker compose up --scale worker-gpu=2`: idle while the other trains
      ServiceSpec gpu = spec(DeployFiles.load(), "worker-gpu");
      stack.start("worker-gpu-2", gpu, DeployedScenario.heap(gpu)).awaitReady(Duration.ofMinutes(1));
      int epochs = 12;
      LocalStack.Cli pipeline = startPipeline(stack, 32, "StopGpu", epochs);
      Path fold = foldDir(stack, "Dataset032_StopGpu");
      awaitCheckpoint(stack, fold, 2);
      String training = trainingWorker(stack, List.of("worker-gpu", "worker-gpu-2"));
      Process first = stack.stop(training); // SIGTERM, as docker stop sends
      long stoppedAt = System.nanoTime();
      assertTrue(first.waitFor(Long.parseLong(gpu.env().getOrDefault("SEGFLOW_GRACEFUL_SECONDS", "600")) + 30,
          TimeUnit.SECONDS), "the stopped worker exits within its graceful stop");
      double exitSeconds = (System.nanoTime() - stoppedAt) / 1e9;
      int finishedOnFirst = finishedEpochs(fold);
      assertTrue(finishedOnFirst < epochs, "stopped in the middle of the fold: " + finishedOnFirst);
      pipeline.await(Duration.ofMinutes(6));

      FoldResult r = result(stack, "pipeline-Dataset032_StopGpu-crash").folds().get(0);
      assertEquals(finishedOnFirst, r.resumedFromEpoch(), "the other worker resumed where the first stopped");
      assertEquals(epochs - finishedOnFirst, r.epochsRun(), "no epoch trained twice");
      // 143 = 128 + SIGTERM: the JVM ran its shutdown hooks (the hand-off) and exited; 137 would be a SIGKILL
      assertEquals(143, first.exitValue(), "ended by its own SIGTERM handling, not killed");
      System.out.printf(Locale.ROOT, "[crash] gpu worker SIGTERM mid-fold with a second gpu worker: %s exited %.1f s"
          + " after SIGTERM with %d epochs checkpointed, the other worker resumed from epoch %d: 0 epochs lost%n",
          training, exitSeconds, finishedOnFirst, r.resumedFromEpoch());
    }
  }

  /** The gpu worker whose /metrics shows a running fold. */
  private static String trainingWorker(LocalStack stack, List<String> workers) throws Exception {
    for (String w : workers) {
      if (stack.metrics(w).lines().anyMatch(l -> l.startsWith("segflow_training_fold_state{")
          && l.contains("state=\"running\"") && l.endsWith(" 1.0"))) {
        return w;
      }
    }
    throw new AssertionError("no gpu worker reports a running fold" + stack.diagnostics());
  }

  @Test
  void bridgeKilledDuringABurstLosesAndRepeatsNothing() throws Exception {
    try (LocalStack stack = compose()) {
      startPipeline(stack, 33, "KillBridge").await(Duration.ofMinutes(6));
      try (Arrivals inbox = new Arrivals(stack.address(LocalStack.StandIn.KAFKA))) {
        List<Path[]> burst = burst(50);
        // the first half arrives; the bridge is killed once it has started some of it
        dropAll(stack, inbox, "Dataset033_KillBridge", burst.subList(0, 25), 0);
        LocalStack.await(Duration.ofMinutes(2), () -> startedLines(stack.get("bridge").currentLog()) >= 5,
            () -> "the bridge started no workflow:\n" + stack.diagnostics());
        stack.kill("bridge");
        int startedBeforeKill = startedLines(stack.get("bridge").log());
        // the second half arrives while no bridge runs: the restarted one must take it from Kafka
        dropAll(stack, inbox, "Dataset033_KillBridge", burst.subList(25, 50), 25);
        Map<String, SegmentationCompleted> results = inbox.awaitAll(Duration.ofMinutes(5), stack::diagnostics);
        WorkflowsClosed.await(stack.address(LocalStack.StandIn.TEMPORAL),
            results.values().stream().map(SegmentationCompleted::getWorkflowId).toList(), Duration.ofMinutes(1));
        Arrivals.Answers answers = inbox.everyAnswerSoFar();
        assertEquals(50, answers.completed().size(), "50 results, none twice");
        assertEquals(List.of(), answers.deadLetters());
        String restarted = stack.get("bridge").currentLog();
        assertTrue(stack.get("bridge").starts >= 2 && startedLines(restarted) >= 25,
            "the restarted bridge started the second half:\n" + LocalStack.tail(restarted));
        System.out.printf(Locale.ROOT, "[crash] bridge kill -9 during a burst of 50 (killed after %d workflow"
            + " starts, 25 more images arrived while it was down): 50 results, 0 twice, 0 dead letters; the"
            + " restarted bridge started %d and found %d already started%n", startedBeforeKill,
            startedLines(restarted), restarted.lines().filter(l -> l.startsWith("duplicate ")).count());
      }
    }
  }

  @Test
  void kafkaKilledDuringABurstLosesNothing() throws Exception {
    try (LocalStack stack = compose()) {
      startPipeline(stack, 34, "KillKafka").await(Duration.ofMinutes(6));
      try (Arrivals inbox = new Arrivals(stack.address(LocalStack.StandIn.KAFKA))) {
        List<Path[]> burst = burst(30);
        dropAll(stack, inbox, "Dataset034_KillKafka", burst.subList(0, 15), 0);
        LocalStack.await(Duration.ofMinutes(2), () -> startedLines(stack.get("bridge").currentLog()) >= 3,
            () -> "the bridge started no workflow:\n" + stack.diagnostics());
        stack.kill("kafka"); // restarted on the same port and data folder by the restart policy
        // the rest arrives while the broker is down: the watcher must announce it once Kafka is back
        dropAll(stack, inbox, "Dataset034_KillKafka", burst.subList(15, 30), 15);
        Map<String, SegmentationCompleted> results = inbox.awaitAll(Duration.ofMinutes(6), stack::diagnostics);
        WorkflowsClosed.await(stack.address(LocalStack.StandIn.TEMPORAL),
            results.values().stream().map(SegmentationCompleted::getWorkflowId).toList(), Duration.ofMinutes(1));
        Arrivals.Answers answers = inbox.everyAnswerSoFar();
        Map<String, Long> perImage = answers.completed().stream()
            .collect(Collectors.groupingBy(SegmentationCompleted::getSha256, Collectors.counting()));
        assertEquals(30, perImage.size(), "every image answered");
        assertEquals(List.of(), answers.deadLetters());
        Map<String, Integer> restarts = new LinkedHashMap<>();
        stack.processes().forEach(p -> restarts.put(p.name, p.starts - 1));
        System.out.printf(Locale.ROOT, "[crash] kafka kill -9 during a burst of 30 (15 more dropped while it was down): 30 of 30 answered, %d"
            + " results published twice, 0 dead letters; restarts %s%n",
            answers.completed().size() - perImage.size(), restarts);
      }
    }
  }

  @Test
  void cpuWorkerKilledWhilePreprocessingIsRetriedWithIdenticalOutputs() throws Exception {
    try (LocalStack stack = compose()) {
      // big enough that preprocessing lasts a moment: 40 cases of 256 x 256
      FundusSampleGenerator.generate(stack.home.resolve("sources/Prep"), new SampleSpec(40, 1, 256, 256, 35), true);
      LocalStack.Cli pipeline = stack.cliStart("pipeline", "run", "sources/Prep", "-d", "35", "--name", "Prep",
          "--epochs", "1", "--iterations-per-epoch", "1", "--val-iterations", "1", "--folds", "0", "--run", "crash",
          "--memory-target-gb", "0.5", "--heartbeat-timeout", "" + HEARTBEAT_TIMEOUT_S, "--poll-seconds", "1",
          "--temporal", stack.address(LocalStack.StandIn.TEMPORAL));
      Path pp = stack.home.resolve("preprocessed/Dataset035_Prep");
      // the moment the preprocessed arrays are being written into their temporary folder
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
      while (temporaryFolders(pp).stream().noneMatch(n -> n.startsWith(".nnUNetPlans_2d.tmp-"))) {
        assertTrue(System.nanoTime() < deadline, "preprocessing never started" + stack.diagnostics());
        assertFalse(Files.isDirectory(pp.resolve("nnUNetPlans_2d")), "preprocessing ended before it was seen");
        Thread.sleep(2);
      }
      List<String> writing = temporaryFolders(pp);
      stack.kill("worker-cpu");
      long killedAt = System.nanoTime();
      pipeline.await(Duration.ofMinutes(8));
      double seconds = (System.nanoTime() - killedAt) / 1e9;

      // the same raw dataset preprocessed once more, uninterrupted, by `segflow plan-and-preprocess`
      Path reference = dir.resolve("reference");
      copyTree(stack.home.resolve("raw/Dataset035_Prep"), reference.resolve("raw/Dataset035_Prep"));
      stack.cli(Duration.ofMinutes(4), "plan-and-preprocess", "-d", "35", "--memory-target-gb", "0.5",
          "--home", reference.toString());
      Map<String, String> expected = digests(reference.resolve("preprocessed/Dataset035_Prep"));
      Map<String, String> actual = digests(pp);
      assertTrue(expected.size() > 80, "reference outputs: " + expected.size());
      expected.forEach((file, sha) -> assertEquals(sha, actual.get(file), file + " byte-identical after the retry"));
      List<String> leftovers = temporaryFolders(pp);
      assertEquals(2, stack.get("worker-cpu").starts, "restarted once");
      System.out.printf(Locale.ROOT, "[crash] cpu worker kill -9 while writing %s: the step was retried, %d output"
              + " files byte-identical to an uninterrupted run, pipeline completed %.0f s after the kill; %d"
              + " temporary entries of the killed attempt left under hidden names %s%n", writing, expected.size(),
          seconds, leftovers.size(), leftovers);
    }
  }

  /** Hidden temporary files and folders (AtomicFiles' .NAME.tmp-UUID) in {@code dir}. */
  private static List<String> temporaryFolders(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".") && n.contains(".tmp-")).sorted()
          .toList();
    }
  }

  /** sha256 of every file under {@code root} outside hidden temporary folders, by relative path. */
  private static Map<String, String> digests(Path root) throws IOException {
    Map<String, String> out = new java.util.TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        String rel = root.relativize(p).toString();
        if (!rel.contains(".tmp-")) {
          out.put(rel, org.segflow.dataset.DatasetManifest.sha256(p));
        }
      }
    }
    return out;
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
    }
  }

  @Test
  void orchestratorKilledMidPipelineIsReplacedAndThePipelineCompletes() throws Exception {
    try (LocalStack stack = compose()) {
      LocalStack.Cli pipeline = startPipeline(stack, 36, "KillOrchestrator", 8);
      Path fold = foldDir(stack, "Dataset036_KillOrchestrator");
      awaitCheckpoint(stack, fold, 1);
      stack.kill("orchestrator"); // the restart policy starts a new orchestrator process
      long killedAt = System.nanoTime();
      pipeline.await(Duration.ofMinutes(6));
      PipelineResult r = result(stack, "pipeline-Dataset036_KillOrchestrator-crash");
      assertEquals(8, r.folds().get(0).epochsRun() + r.folds().get(0).resumedFromEpoch());
      assertEquals(2, stack.get("orchestrator").starts, "restarted once");
      long moved = stickyTasksMoved(stack, "pipeline-Dataset036_KillOrchestrator-crash");
      assertTrue(moved >= 1, "the server moved the task waiting on the killed orchestrator's sticky queue");
      System.out.printf(Locale.ROOT, "[crash] orchestrator kill -9 mid-fold: a new orchestrator process took the"
          + " workflow over (%d task(s) moved off the dead one's sticky queue), pipeline completed %.0f s after"
          + " the kill, fold trained once (resumed from %d)%n",
          moved, (System.nanoTime() - killedAt) / 1e9, r.folds().get(0).resumedFromEpoch());
    }
  }

  /** The compose topology started: stand-ins, then every segflow service, each ready. */
  private LocalStack compose() throws Exception {
    LocalStack stack = new LocalStack(dir, Map.of("temporal:7233", LocalStack.StandIn.TEMPORAL, "kafka:9092",
        LocalStack.StandIn.KAFKA));
    try {
      stack.startStandIns();
      for (ServiceSpec s : ComposeServices.read(DeployFiles.load())) {
        stack.start(s.name(), s, DeployedScenario.heap(s));
      }
      for (LocalStack.Running r : stack.processes()) {
        r.awaitReady(Duration.ofMinutes(2));
      }
      return stack;
    } catch (Exception | AssertionError e) {
      stack.close();
      throw e;
    }
  }

  private static ServiceSpec spec(DeployFiles files, String name) {
    return ComposeServices.read(files).stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
  }

  /** A one-fold pipeline of EPOCHS short epochs on a 64 px sample, started from the host. */
  private static LocalStack.Cli startPipeline(LocalStack stack, int id, String name) throws IOException {
    return startPipeline(stack, id, name, EPOCHS);
  }

  private static LocalStack.Cli startPipeline(LocalStack stack, int id, String name, int epochs) throws IOException {
    FundusSampleGenerator.generate(stack.home.resolve("sources").resolve(name), new SampleSpec(8, 2, 64, 64, id), true);
    return stack.cliStart("pipeline", "run", "sources/" + name, "-d", "" + id, "--name", name, "--epochs",
        "" + epochs, "--iterations-per-epoch", "3", "--val-iterations", "1", "--folds", "0", "--run", "crash",
        "--heartbeat-timeout", "" + HEARTBEAT_TIMEOUT_S, "--poll-seconds", "1", "--temporal",
        stack.address(LocalStack.StandIn.TEMPORAL));
  }

  private static Path foldDir(LocalStack stack, String dataset) {
    return stack.home.resolve("results").resolve(dataset).resolve("nnUNetTrainer__nnUNetPlans__2d").resolve("fold_0");
  }

  /** Waits until the fold's checkpoint_latest holds at least {@code epoch} epochs; returns its epoch. */
  private static int awaitCheckpoint(LocalStack stack, Path fold, int epoch) {
    Path latest = fold.resolve(Checkpoint.LATEST);
    int[] at = {-1};
    LocalStack.await(Duration.ofMinutes(4), () -> {
      try {
        at[0] = Files.exists(latest) ? Checkpoint.read(latest).state().currentEpoch() : -1;
      } catch (RuntimeException e) {
        return false; // being replaced right now: read it again
      }
      return at[0] >= epoch;
    }, () -> "no checkpoint of epoch " + epoch + " in " + fold + stack.diagnostics());
    return at[0];
  }

  /** Epochs finished according to the fold's training logs (written at each epoch's end). */
  private static int finishedEpochs(Path fold) throws IOException {
    try (Stream<Path> files = Files.list(fold)) {
      int n = 0;
      for (Path f : files.filter(p -> p.getFileName().toString().startsWith("training_log_")).toList()) {
        n += (int) Files.readString(f).lines().filter(l -> l.matches(".*: Epoch \\d+$")).count();
      }
      return n;
    }
  }

  private static PipelineResult result(LocalStack stack, String workflowId) {
    WorkflowServiceStubs service = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
        .setTarget(stack.address(LocalStack.StandIn.TEMPORAL)).build());
    try {
      return WorkflowClient.newInstance(service, WorkflowClientOptions.newBuilder().setNamespace("default").build())
          .newUntypedWorkflowStub(workflowId).getResult(1, TimeUnit.MINUTES, PipelineResult.class);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError(workflowId + " has no result", e);
    } finally {
      service.shutdownNow();
    }
  }

  /** Workflow tasks the server failed with RESET_STICKY_TASK_QUEUE: moved off a gone worker's sticky queue. */
  private static long stickyTasksMoved(LocalStack stack, String workflowId) {
    WorkflowServiceStubs service = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
        .setTarget(stack.address(LocalStack.StandIn.TEMPORAL)).build());
    try {
      return WorkflowClient.newInstance(service, WorkflowClientOptions.newBuilder().setNamespace("default").build())
          .fetchHistory(workflowId).getEvents().stream()
          .filter(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED
              && e.getWorkflowTaskFailedEventAttributes().getCause()
              == WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_RESET_STICKY_TASK_QUEUE)
          .count();
    } finally {
      service.shutdownNow();
    }
  }

  /** {@code n} distinct 64 px photographs with their references: (image, label) pairs. */
  private List<Path[]> burst(int n) {
    Path burst = dir.resolve("burst");
    FundusSampleGenerator.generate(burst, new SampleSpec(1, n, 64, 64, 4242), true);
    List<Path[]> out = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      Path c = burst.resolve("crop_test").resolve("" + i);
      out.add(new Path[] {c.resolve(FundusSampleGenerator.IMAGE_FILE), c.resolve(FundusSampleGenerator.LABEL_FILE)});
    }
    return out;
  }

  /** Drops the photographs into the dataset's inbox at once, named burst-FIRST.png onwards. */
  private static void dropAll(LocalStack stack, Arrivals inbox, String dataset, List<Path[]> images, int first)
      throws IOException {
    for (int i = 0; i < images.size(); i++) {
      inbox.drop(stack.home.resolve("inbox"), dataset, "burst-" + (first + i) + ".png", images.get(i)[0],
          images.get(i)[1]);
    }
  }

  private static int startedLines(String bridgeLog) {
    return (int) bridgeLog.lines().filter(l -> l.startsWith("started ")).count();
  }
}
