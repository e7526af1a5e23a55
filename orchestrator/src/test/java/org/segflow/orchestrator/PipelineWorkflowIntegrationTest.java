package org.segflow.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.util.Timestamps;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerOptions;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segflow.activity.DataPreparationActivitiesImpl;
import org.segflow.activity.TrainingActivitiesImpl;
import org.segflow.contract.DataPreparationActivities;
import org.segflow.contract.FindBestResult;
import org.segflow.contract.FoldProgress;
import org.segflow.contract.FoldRequest;
import org.segflow.contract.FoldResult;
import org.segflow.contract.FoldState;
import org.segflow.contract.PipelineProgress;
import org.segflow.contract.PipelineRequest;
import org.segflow.contract.PipelineResult;
import org.segflow.contract.PipelineStage;
import org.segflow.contract.PipelineWorkflow;
import org.segflow.contract.PredictRequest;
import org.segflow.contract.PredictResult;
import org.segflow.contract.TrainingActivities;
import org.segflow.sample.FundusSampleGenerator;
import org.segflow.sample.SampleSpec;
import org.segflow.storage.SegflowPaths;
import org.segflow.train.Checkpoint;
import org.segflow.train.EpochResult;
import org.segflow.train.FoldContext;
import org.segflow.train.TrainingHistory;
import org.segflow.train.TrainingListener;

/**
 * The pipeline on the in-process Temporal test service with workers on the three task queues and
 * the real activities: a 64 px synthetic sample, two folds of 2 epochs x 3 iterations; run again,
 * every cpu step hits its cache and no fold reaches the gpu queue.
 *
 * <p>Run with {@code -Dsegflow.recordHistory=PATH} to write the first run's history as JSON
 * (see {@link PipelineReplayTest} for re-recording the stored one).
 */
class PipelineWorkflowIntegrationTest {

  private TestWorkflowEnvironment env;
  private WorkflowClient client;

  @TempDir
  Path home;

  private final AtomicInteger injectedFailures = new AtomicInteger();
  /** trainFold attempts that reached the gpu worker, over all runs of a test. */
  private final AtomicInteger trainFoldCalls = new AtomicInteger();

  @BeforeEach
  void startWorkers() {
    // real time: the activities really train, and their heartbeats must not be skipped past
    env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder().setUseTimeskipping(false).build());
    SegflowPaths paths = SegflowPaths.under(home);
    Worker orchestrator = env.newWorker(PipelineWorkflow.TASK_QUEUE);
    orchestrator.registerWorkflowImplementationFactory(PipelineWorkflow.class,
        () -> new PipelineWorkflowImpl(PipelineTimeouts.DEFAULTS));
    env.newWorker(DataPreparationActivities.TASK_QUEUE)
        .registerActivitiesImplementations(new DataPreparationActivitiesImpl(paths, 2));
    env.newWorker(TrainingActivities.TASK_QUEUE, WorkerOptions.newBuilder()
        .setMaxConcurrentActivityExecutionSize(TrainingActivitiesImpl.MAX_CONCURRENT_FOLDS).build())
        .registerActivitiesImplementations(new CountingTraining(new TrainingActivitiesImpl(
        paths, new TrainingActivitiesImpl.Resources("cpu", 1),
        fold -> fold == 0 ? List.of(new FailOnceAfterFirstCheckpoint(injectedFailures)) : List.of()),
        trainFoldCalls));
    env.start();
    client = env.getWorkflowClient();
  }

  @AfterEach
  void stop() {
    env.close();
  }

  @Test
  void runsRetriesAFoldFromItsCheckpointAndHitsTheStepCacheTheSecondTime() throws Exception {
    FundusSampleGenerator.generate(home.resolve("source"), new SampleSpec(10, 2, 64, 64, 7), true);
    PipelineRequest first = request("source", "first");
    PipelineWorkflow wf = stub(first);
    PipelineResult r = wf.run(first);

    assertFalse(r.ingested().cacheHit());
    assertFalse(r.converted().cacheHit());
    assertFalse(r.fingerprinted().cacheHit());
    assertFalse(r.planned().cacheHit());
    assertEquals("crop_folders", r.ingested().layout());
    assertEquals(10, r.ingested().numTraining());
    assertEquals(2, r.ingested().numTest());
    assertEquals(3 * 12, r.ingested().numFiles(), "image, label and mask of 12 cases");
    assertEquals("ingest/Dataset004_Sample/source_manifest.json", r.ingested().sourceManifest().path());
    assertEquals("preprocessed/Dataset004_Sample/dataset_fingerprint.json", r.fingerprinted().fingerprint().path());
    assertEquals(10, r.fingerprinted().numCases());
    assertEquals(List.of(), r.cachedFolds(), "nothing trained yet");
    assertEquals(10, r.converted().numTraining());
    assertEquals(2, r.converted().numTest());
    assertEquals(List.of(0, 1), r.folds().stream().map(FoldResult::fold).toList());
    assertEquals(1, injectedFailures.get(), "fold 0 failed once after its first checkpoint");
    FoldResult fold0 = r.folds().get(0);
    assertEquals(1, fold0.resumedFromEpoch(), "the retry resumed from the epoch-1 checkpoint, not from 0");
    assertEquals(1, fold0.epochsRun());
    assertEquals(0, r.folds().get(1).resumedFromEpoch());
    for (FoldResult f : r.folds()) {
      Path finalCheckpoint = home.resolve(f.finalCheckpoint().path());
      assertEquals(2, Checkpoint.read(finalCheckpoint).state().currentEpoch());
      assertNotNull(f.validation(), "validation summary of fold " + f.fold());
      assertTrue(Files.isRegularFile(home.resolve(f.validation().path())));
      assertTrue(f.validationDice() >= 0 && f.validationDice() <= 1, "Dice " + f.validationDice());
    }

    FindBestResult findBest = r.findBest();
    assertEquals("nnUNetTrainer__nnUNetPlans__2d", findBest.model());
    assertEquals("results/Dataset004_Sample/inference_information.json", findBest.inferenceInformation().path());
    assertEquals("results/Dataset004_Sample/nnUNetTrainer__nnUNetPlans__2d/crossval_results_folds_0_1/summary.json",
        findBest.crossValidation().path());
    for (var ref : List.of(findBest.inferenceInformation(), findBest.crossValidation(), findBest.postprocessing())) {
      assertTrue(Files.isRegularFile(home.resolve(ref.path())), ref.path());
    }
    assertTrue(findBest.crossValidationDice() >= 0 && findBest.crossValidationDice() <= 1);
    assertTrue(Double.isFinite(findBest.crossValidationFovDice()), "the sample has FOV masks");
    assertEquals("v1", new org.segflow.registry.ModelRegistry(SegflowPaths.under(home))
        .promoted("Dataset004_Sample").orElseThrow().version(), "find-best published and promoted the model");
    assertTrue(Files.isRegularFile(home.resolve("results/Dataset004_Sample/models/v1.trust.json")),
        "find-best calibrated the published version's trust profile");

    PredictResult predicted = r.predicted();
    assertEquals("predictions/Dataset004_Sample/first", predicted.predictions());
    assertEquals(2, predicted.numCases());
    assertNotNull(predicted.summary(), "test labels exist, so the predictions were scored");
    assertTrue(predicted.testDice() >= 0 && predicted.testDice() <= 1, "test Dice " + predicted.testDice());
    assertTrue(Double.isFinite(predicted.testFovDice()));
    try (var overlays = Files.list(home.resolve(predicted.overlays()))) {
      assertEquals(2, overlays.count());
    }
    assertTrue(Files.readString(home.resolve(predicted.summary().path())).contains("\"foreground_mean\""));

    PipelineProgress progress = wf.progress();
    assertEquals(PipelineStage.DONE, progress.stage());
    for (FoldProgress p : progress.folds()) {
      assertEquals(FoldState.DONE, p.state());
      assertEquals(2, p.epoch());
      assertTrue(Double.isFinite(p.trainLoss()), "losses arrived by the progress signal: " + p);
    }

    WorkflowExecutionHistory history = client.fetchHistory(first.workflowId());
    assertEquals(List.of("Ingest", "Convert", "Fingerprint", "PlanAndPreprocess", "FinishedFold", "FinishedFold",
        "TrainFold", "TrainFold", "FindBest", "Predict"), scheduled(history, null), "every step, in order");
    assertEquals(3, trainFoldCalls.get(), "two folds, fold 0 twice");
    System.out.println("first pipeline, per step (scheduled -> completed, ms): " + stepMillis(history));
    assertEquals(2, history.getEvents().stream()
        .filter(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED).count() / 2,
        "two epochs signalled per fold");
    WorkflowReplayer.replayWorkflowExecution(history, PipelineWorkflowImpl.class);
    String record = System.getProperty("segflow.recordHistory");
    if (record != null && !record.isBlank()) {
      Files.writeString(Path.of(record), history.toJson(true), StandardCharsets.UTF_8);
    }

    PipelineRequest second = request("source", "second");
    PipelineResult again = stub(second).run(second);
    assertTrue(again.ingested().cacheHit(), "ingest: the same files give the same manifest");
    assertTrue(again.converted().cacheHit(), "convert: same source files, same options");
    assertTrue(again.fingerprinted().cacheHit(), "fingerprint: same dataset.json and manifest");
    assertTrue(again.planned().cacheHit(), "plan: same fingerprint, dataset.json and manifest");
    assertEquals(r.ingested().sourceManifest(), again.ingested().sourceManifest());
    assertEquals(r.converted().cacheKey(), again.converted().cacheKey());
    assertEquals(r.fingerprinted().fingerprint(), again.fingerprinted().fingerprint());
    assertEquals(r.planned().plans(), again.planned().plans());
    assertEquals(List.of(0, 1), again.cachedFolds(), "both folds answered by the fold cache");
    for (FoldResult f : again.folds()) {
      FoldResult before = r.folds().get(f.fold());
      assertEquals(2, f.resumedFromEpoch(), "a finished fold is not trained again");
      assertEquals(0, f.epochsRun());
      assertEquals(before.finalCheckpoint(), f.finalCheckpoint());
      assertEquals(before.validation(), f.validation());
      assertEquals(before.validationDice(), f.validationDice());
      assertEquals(before.bestEma(), f.bestEma());
    }
    WorkflowExecutionHistory secondHistory = client.fetchHistory(second.workflowId());
    assertEquals(List.of("Predict"), scheduled(secondHistory, TrainingActivities.TASK_QUEUE),
        "a finished fold never reaches the gpu queue");
    assertEquals(3, trainFoldCalls.get(), "no trainFold call in the second run");
    for (FoldProgress p : client.newWorkflowStub(PipelineWorkflow.class, second.workflowId()).progress().folds()) {
      assertEquals(FoldState.DONE, p.state());
      assertEquals(2, p.epoch());
    }
    System.out.println("cached pipeline, per step (scheduled -> completed, ms): " + stepMillis(secondHistory));
    assertEquals(r.findBest().crossValidationDice(), again.findBest().crossValidationDice(), "same folds, same Dice");
    assertEquals(r.predicted().testDice(), again.predicted().testDice(), "same model, same test Dice");
    assertEquals("predictions/Dataset004_Sample/second", again.predicted().predictions());
    assertFalse(r.findBest().cacheHit(), "the first find-best scored");
    assertTrue(again.findBest().cacheHit(), "find-best: same validation files, checkpoints and references");
    assertEquals(new FindBestResult(r.findBest().inferenceInformation(), r.findBest().crossValidation(),
        r.findBest().postprocessing(), r.findBest().model(), r.findBest().crossValidationDice(),
        r.findBest().crossValidationFovDice(), r.findBest().postprocessed(), r.findBest().cacheKey(), true),
        again.findBest(), "the files the first run wrote, as it returned them");
    assertFalse(again.predicted().cacheHit(), "another run name: another folder, predicted there");
    assertEquals(r.predicted().cacheKey(), again.predicted().cacheKey(), "from the same inputs");

    // the first run's request again: every step answers from its cache, predict included
    PipelineRequest third = request("source", "first");
    PipelineResult cached = stub(third).run(third);
    assertTrue(cached.findBest().cacheHit());
    assertTrue(cached.predicted().cacheHit(), "the folder holds every case predicted from the same inputs");
    assertEquals(new PredictResult(r.predicted().predictions(), r.predicted().overlays(), r.predicted().numCases(),
        r.predicted().summary(), r.predicted().testDice(), r.predicted().testFovDice(), r.predicted().cacheKey(), true),
        cached.predicted(), "the first run's folder and summary (path and sha256), as it returned them");
    assertEquals(List.of("v1"), new org.segflow.registry.ModelRegistry(SegflowPaths.under(home))
        .list("Dataset004_Sample").stream().map(org.segflow.registry.ModelVersion::version).toList(),
        "three find-best runs from the same folds: one version");
  }

  @Test
  void invalidSourceFailsFastWithoutRetriesNamingTheFile() throws Exception {
    Path src = home.resolve("bad");
    for (int n = 0; n < 3; n++) {
      Path c = Files.createDirectories(src.resolve("crop_train/" + n));
      write(c.resolve("image.png"), BufferedImage.TYPE_3BYTE_BGR, 0x406080);
      write(c.resolve("label.png"), BufferedImage.TYPE_BYTE_GRAY, n == 1 ? 0x808080 : 0xFFFFFF);
    }
    PipelineRequest req = request("bad", "bad");
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class, () -> stub(req).run(req));
    ActivityFailure activity = assertInstanceOf(ActivityFailure.class, e.getCause());
    ApplicationFailure cause = assertInstanceOf(ApplicationFailure.class, activity.getCause());
    assertEquals(PipelineWorkflow.INVALID_INPUT, cause.getType());
    assertTrue(cause.isNonRetryable());
    assertTrue(cause.getOriginalMessage().contains("crop_train/1/label.png"), cause.getOriginalMessage());
    WorkflowExecutionHistory history = client.fetchHistory(req.workflowId());
    assertEquals(List.of("Ingest", "Convert"), scheduled(history, null),
        "ingest accepts the layout; convert finds the bad label values");
    List<HistoryEvent> started = history.getEvents().stream()
        .filter(ev -> ev.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED).toList();
    assertEquals(2, started.size());
    assertTrue(started.stream().allMatch(ev -> ev.getActivityTaskStartedEventAttributes().getAttempt() == 1),
        "no retries burned");
    assertEquals(PipelineStage.FAILED, client.newWorkflowStub(PipelineWorkflow.class, req.workflowId()).progress().stage());
    assertFalse(Files.exists(home.resolve("raw/Dataset004_Bad")), "nothing half-written");
  }

  /** Activity types scheduled (on {@code queue}, or on any queue when null), in history order. */
  private static List<String> scheduled(WorkflowExecutionHistory history, String queue) {
    return history.getEvents().stream()
        .filter(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
        .map(HistoryEvent::getActivityTaskScheduledEventAttributes)
        .filter(a -> queue == null || a.getTaskQueue().getName().equals(queue))
        .map(a -> a.getActivityType().getName())
        .toList();
  }

  /** Per activity (type and id suffix): milliseconds from scheduled to completed, in history order. */
  private static Map<String, Long> stepMillis(WorkflowExecutionHistory history) {
    Map<Long, HistoryEvent> scheduledById = new HashMap<>();
    Map<String, Long> out = new LinkedHashMap<>();
    for (HistoryEvent e : history.getEvents()) {
      if (e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED) {
        scheduledById.put(e.getEventId(), e);
      } else if (e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED) {
        HistoryEvent s = scheduledById.get(e.getActivityTaskCompletedEventAttributes().getScheduledEventId());
        String name = s.getActivityTaskScheduledEventAttributes().getActivityType().getName();
        String key = out.containsKey(name) ? name + "#" + s.getEventId() : name;
        out.put(key, Timestamps.toMillis(e.getEventTime()) - Timestamps.toMillis(s.getEventTime()));
      }
    }
    HistoryEvent first = history.getEvents().get(0);
    HistoryEvent last = history.getLastEvent();
    out.put("workflow", Timestamps.toMillis(last.getEventTime()) - Timestamps.toMillis(first.getEventTime()));
    return out;
  }

  private PipelineWorkflow stub(PipelineRequest r) {
    return client.newWorkflowStub(PipelineWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId(r.workflowId()).setTaskQueue(PipelineWorkflow.TASK_QUEUE).build());
  }

  private static PipelineRequest request(String source, String run) {
    return new PipelineRequest(source, 4, source.equals("bad") ? "Bad" : "Sample", "gray", 8, 2, 3, 2,
        List.of(0, 1), run);
  }

  private static void write(Path file, int type, int rgb) throws Exception {
    BufferedImage img = new BufferedImage(16, 16, type);
    for (int y = 0; y < 16; y++) {
      for (int x = 0; x < 16; x++) {
        img.setRGB(x, y, rgb);
      }
    }
    ImageIO.write(img, "png", file.toFile());
  }

  /** The gpu activities, counting the trainFold attempts that reached the gpu worker. */
  private record CountingTraining(TrainingActivities delegate, AtomicInteger trainFoldCalls)
      implements TrainingActivities {
    @Override
    public FoldResult trainFold(FoldRequest request) {
      trainFoldCalls.incrementAndGet();
      return delegate.trainFold(request);
    }

    @Override
    public PredictResult predict(PredictRequest request) {
      return delegate.predict(request);
    }
  }

  /** Fails the first attempt of a fold right after its epoch-1 checkpoint was written. */
  private record FailOnceAfterFirstCheckpoint(AtomicInteger failures) implements TrainingListener {
    @Override
    public void onEpochEnd(FoldContext fold, EpochResult result, TrainingHistory history) {
      if (result.epoch() == 0 && failures.getAndIncrement() == 0) {
        throw new IllegalStateException("injected failure after the epoch-1 checkpoint");
      }
    }
  }
}
