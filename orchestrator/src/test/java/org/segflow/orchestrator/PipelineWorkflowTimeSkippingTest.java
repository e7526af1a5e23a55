package org.segflow.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.ActivityCanceledException;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.WorkerOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.segflow.contract.ConvertRequest;
import org.segflow.contract.ConvertResult;
import org.segflow.contract.DataPreparationActivities;
import org.segflow.contract.FindBestRequest;
import org.segflow.contract.FindBestResult;
import org.segflow.contract.FingerprintRequest;
import org.segflow.contract.FingerprintResult;
import org.segflow.contract.FinishedFold;
import org.segflow.contract.FoldHeartbeat;
import org.segflow.contract.FoldProgress;
import org.segflow.contract.FoldRequest;
import org.segflow.contract.FoldResult;
import org.segflow.contract.FoldState;
import org.segflow.contract.IngestRequest;
import org.segflow.contract.IngestResult;
import org.segflow.contract.PipelineProgress;
import org.segflow.contract.PipelineRequest;
import org.segflow.contract.PipelineResult;
import org.segflow.contract.PipelineStage;
import org.segflow.contract.PipelineWorkflow;
import org.segflow.contract.PlanRequest;
import org.segflow.contract.PlanResult;
import org.segflow.contract.PredictRequest;
import org.segflow.contract.PredictResult;
import org.segflow.contract.StepRef;
import org.segflow.contract.TrainingActivities;

/**
 * {@link PipelineWorkflowImpl}'s logic on the time-skipping test server with scripted activities
 * (no engine, no disk): a dead fold worker retried after the default 5 min heartbeat timeout in test
 * time, invalid input failing after one attempt, a failing fold cancelling its sibling, and
 * {@code progress()} along the way.
 */
class PipelineWorkflowTimeSkippingTest {

  private static final String DATASET = "Dataset004_Fake";
  private static final Duration WALL_LIMIT = Duration.ofSeconds(10);
  /**
   * The dead-worker test's heartbeat timeout. The test server stops its clock from an activity's
   * scheduling until that activity completes, fails, is cancelled or times out, so a heartbeat
   * timeout cannot be skipped: it elapses in wall time (the 5 min default would take 5 min).
   */
  private static final int HEARTBEAT_TIMEOUT_S = 1;

  private TestWorkflowEnvironment env;
  private WorkflowClient client;
  private final ScriptedPreparation preparation = new ScriptedPreparation();
  private final ScriptedTraining training = new ScriptedTraining();
  /** Released when a test ends, so a "dead" attempt's thread does not outlive it. */
  private final CountDownLatch testOver = new CountDownLatch(1);

  @BeforeEach
  void start() {
    env = TestWorkflowEnvironment.newInstance();
    client = env.getWorkflowClient();
    env.newWorker(PipelineWorkflow.TASK_QUEUE).registerWorkflowImplementationTypes(PipelineWorkflowImpl.class);
    env.newWorker(DataPreparationActivities.TASK_QUEUE).registerActivitiesImplementations(preparation);
    // heartbeats leave the worker at most every 20 ms (wall), so a cancellation reaches a fold at once
    env.newWorker(TrainingActivities.TASK_QUEUE, WorkerOptions.newBuilder()
            .setMaxHeartbeatThrottleInterval(Duration.ofMillis(20)).build())
        .registerActivitiesImplementations(training);
    env.start();
  }

  @AfterEach
  void stop() {
    testOver.countDown();
    env.close();
  }

  @Test
  void aSilentFoldIsRetriedAfterTheHeartbeatTimeoutAndTheRetryGetsTheLastHeartbeat() throws Exception {
    CountDownLatch stalled = new CountDownLatch(1);
    Map<Integer, FoldHeartbeat> seenByRetry = new ConcurrentHashMap<>();
    training.script(0, (req, ctx) -> {
      if (ctx.getInfo().getAttempt() == 1) {
        ctx.heartbeat(new FoldHeartbeat(3, "results/" + DATASET + "/fold_0/checkpoint_latest.zip", 0.61));
        stalled.countDown();
        awaitWall(testOver); // a dead worker: no more heartbeats, never completes
        throw new IllegalStateException("the dead attempt's result must be ignored");
      }
      FoldHeartbeat last = ctx.getHeartbeatDetails(FoldHeartbeat.class).orElseThrow();
      seenByRetry.put(ctx.getInfo().getAttempt(), last);
      return foldResult(req.fold(), last.epoch(), req.epochs() - last.epoch());
    });
    training.script(1, (req, ctx) -> foldResult(req.fold(), 0, req.epochs()));

    long wallStart = System.nanoTime();
    WorkflowStub stub = WorkflowStub.fromTyped(startPipeline(request(List.of(0, 1), HEARTBEAT_TIMEOUT_S)));
    awaitWall(stalled);
    long testStart = env.currentTimeMillis();
    PipelineResult result = stub.getResult(WALL_LIMIT.toSeconds(), TimeUnit.SECONDS, PipelineResult.class);
    long testElapsed = env.currentTimeMillis() - testStart;
    long wallElapsed = System.nanoTime() - wallStart;

    assertEquals(Map.of(2, new FoldHeartbeat(3, "results/" + DATASET + "/fold_0/checkpoint_latest.zip", 0.61)),
        seenByRetry, "exactly one retry, and it received the dead attempt's last heartbeat");
    assertEquals(2, training.attempts(0));
    assertEquals(1, training.attempts(1));
    assertEquals(3, result.folds().get(0).resumedFromEpoch());
    assertEquals(List.of(0, 1), result.folds().stream().map(FoldResult::fold).toList());
    assertTrue(testElapsed >= HEARTBEAT_TIMEOUT_S * 1000L,
        "the retry came after the heartbeat timeout, got " + testElapsed + " ms");
    assertTrue(wallElapsed < WALL_LIMIT.toNanos(), "in wall time it took " + wallElapsed / 1_000_000 + " ms");
    assertEquals(PipelineStage.DONE, progress().stage());
  }

  @ParameterizedTest(name = "nonRetryable flag {0}")
  @ValueSource(booleans = {true, false})
  void invalidInputFromPlanFailsThePipelineAfterOneAttempt(boolean nonRetryableFlag) {
    // without the flag, the workflow's own retry policy (DoNotRetry InvalidInput) must stop it
    preparation.planFailure = nonRetryableFlag
        ? ApplicationFailure.newNonRetryableFailure("labelsTr/case_7.png: expected 0/1 labels, found 5",
            PipelineWorkflow.INVALID_INPUT)
        : ApplicationFailure.newFailure("labelsTr/case_7.png: expected 0/1 labels, found 5",
            PipelineWorkflow.INVALID_INPUT);

    PipelineWorkflow pipeline = startPipeline(request(List.of(0, 1)));
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class,
        () -> WorkflowStub.fromTyped(pipeline).getResult(WALL_LIMIT.toSeconds(), TimeUnit.SECONDS,
            PipelineResult.class));

    ActivityFailure activity = assertInstanceOf(ActivityFailure.class, e.getCause());
    ApplicationFailure cause = assertInstanceOf(ApplicationFailure.class, activity.getCause());
    assertEquals(PipelineWorkflow.INVALID_INPUT, cause.getType());
    assertTrue(cause.getOriginalMessage().contains("case_7.png"), cause.getOriginalMessage());
    assertEquals(1, preparation.planAttempts.get(), "no retries burned on invalid input");
    assertEquals(0, training.attempts(0) + training.attempts(1), "no fold started");
    PipelineProgress p = progress();
    assertEquals(PipelineStage.FAILED, p.stage());
    assertTrue(p.folds().stream().allMatch(f -> f.state() == FoldState.PENDING), p.toString());
  }

  @Test
  void aFoldThatFailsForGoodCancelsTheOtherFoldAndFailsThePipeline() {
    CountDownLatch fold0Running = new CountDownLatch(1);
    CountDownLatch fold0SawCancel = new CountDownLatch(1);
    AtomicInteger fold0CheckpointedEpochs = new AtomicInteger();
    training.script(0, (req, ctx) -> {
      fold0Running.countDown();
      // an epoch loop: each epoch ends on a checkpoint and a heartbeat; a cancel stops it there
      for (int epoch = 1; ; epoch++) {
        fold0CheckpointedEpochs.set(epoch);
        try {
          ctx.heartbeat(new FoldHeartbeat(epoch, "checkpoint_latest.zip", 0.5));
        } catch (ActivityCanceledException cancelled) {
          fold0SawCancel.countDown();
          throw cancelled;
        }
        if (awaitWall(testOver, Duration.ofMillis(5))) {
          throw new IllegalStateException("fold 0 was never cancelled");
        }
      }
    });
    training.script(1, (req, ctx) -> {
      awaitWall(fold0Running);
      throw ApplicationFailure.newNonRetryableFailure("fold 1: checkpoint_latest.zip is corrupt",
          PipelineWorkflow.INVALID_INPUT);
    });

    PipelineWorkflow pipeline = startPipeline(request(List.of(0, 1)));
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class,
        () -> WorkflowStub.fromTyped(pipeline).getResult(WALL_LIMIT.toSeconds(), TimeUnit.SECONDS,
            PipelineResult.class));

    ApplicationFailure cause = assertInstanceOf(ApplicationFailure.class, e.getCause().getCause());
    assertTrue(cause.getOriginalMessage().startsWith("fold 1:"), "the pipeline fails with fold 1's failure");
    assertEquals(0, fold0SawCancel.getCount(), "fold 0 saw the cancellation in a heartbeat");
    assertTrue(fold0CheckpointedEpochs.get() >= 1);
    assertEquals(1, training.attempts(0), "a cancelled fold is not retried");
    assertEquals(1, training.attempts(1), "a non-retryable failure is not retried");
    PipelineProgress p = progress();
    assertEquals(PipelineStage.FAILED, p.stage());
    assertEquals(List.of(FoldState.CANCELLED, FoldState.FAILED), p.folds().stream().map(FoldProgress::state).toList());
    assertEquals(0, preparation.findBestCalls.get(), "no find-best after a failed fold");
  }

  @Test
  void progressReportsTheStageAndEachFoldAlongTheWay() throws Exception {
    CountDownLatch planReached = new CountDownLatch(1);
    CountDownLatch releasePlan = new CountDownLatch(1);
    preparation.beforePlan = () -> {
      planReached.countDown();
      awaitWall(releasePlan);
    };
    Map<Integer, CountDownLatch> signalled = Map.of(0, new CountDownLatch(1), 1, new CountDownLatch(1));
    CountDownLatch releaseFolds = new CountDownLatch(1);
    CountDownLatch releaseFold1 = new CountDownLatch(1);
    training.script(0, (req, ctx) -> {
      signal(new FoldProgress(0, 1, req.epochs(), 0.9, 0.8, 0.4, 0.35, 0.35, FoldState.RUNNING));
      signalled.get(0).countDown();
      awaitWall(releaseFolds);
      return foldResult(0, 0, req.epochs());
    });
    training.script(1, (req, ctx) -> {
      signal(new FoldProgress(1, 2, req.epochs(), 0.7, 0.6, 0.5, 0.45, 0.45, FoldState.RUNNING));
      // a late, older signal never moves the fold backwards
      signal(new FoldProgress(1, 1, req.epochs(), 0.9, 0.9, 0.1, 0.1, 0.1, FoldState.RUNNING));
      signalled.get(1).countDown();
      awaitWall(releaseFold1);
      return foldResult(1, 0, req.epochs());
    });

    PipelineWorkflow pipeline = startPipeline(request(List.of(0, 1)));
    awaitWall(planReached);
    PipelineProgress atPlan = awaitProgress(p -> p.stage() == PipelineStage.PLAN);
    assertEquals(List.of("ingest", "convert", "fingerprint", "plan"), preparation.calls, "the steps before plan");
    assertEquals(List.of(FoldProgress.pending(0, 4), FoldProgress.pending(1, 4)).toString(),
        atPlan.folds().toString(), "folds are pending before training");

    releasePlan.countDown();
    awaitWall(signalled.get(0));
    awaitWall(signalled.get(1));
    PipelineProgress training2 = awaitProgress(p -> p.folds().get(0).epoch() == 1 && p.folds().get(1).epoch() == 2);
    assertEquals(PipelineStage.TRAIN, training2.stage());
    FoldProgress fold1 = training2.folds().get(1);
    assertEquals(FoldState.RUNNING, fold1.state());
    assertEquals(4, fold1.numEpochs());
    assertEquals(0.45, fold1.ema());
    assertEquals(0.5, fold1.pseudoDice());
    assertEquals(FoldState.RUNNING, training2.folds().get(0).state());

    releaseFolds.countDown(); // fold 0 finishes, fold 1 still runs
    PipelineProgress oneDone = awaitProgress(p -> p.folds().get(0).state() == FoldState.DONE);
    assertEquals(FoldState.RUNNING, oneDone.folds().get(1).state());
    assertEquals(4, oneDone.folds().get(0).epoch(), "a finished fold shows all its epochs");
    assertEquals(0.35, oneDone.folds().get(0).ema());

    releaseFold1.countDown();
    WorkflowStub.fromTyped(pipeline).getResult(WALL_LIMIT.toSeconds(), TimeUnit.SECONDS, PipelineResult.class);
    PipelineProgress done = progress();
    assertEquals(PipelineStage.DONE, done.stage());
    assertEquals(List.of(FoldState.DONE, FoldState.DONE), done.folds().stream().map(FoldProgress::state).toList());
    assertEquals(List.of(4, 4), done.folds().stream().map(FoldProgress::epoch).toList());
  }

  @Test
  void aFoldTheFoldCacheFindsFinishedNeverReachesTheGpuQueueAndIsDoneAtOnce() throws Exception {
    preparation.finishedFolds.add(1);
    CountDownLatch fold0Running = new CountDownLatch(1);
    CountDownLatch releaseFold0 = new CountDownLatch(1);
    training.script(0, (req, ctx) -> {
      fold0Running.countDown();
      awaitWall(releaseFold0);
      return foldResult(0, 0, req.epochs());
    });
    training.script(1, (req, ctx) -> {
      throw new IllegalStateException("a finished fold must not be sent to the gpu queue");
    });

    PipelineRequest r = request(List.of(0, 1));
    PipelineWorkflow pipeline = startPipeline(r);
    awaitWall(fold0Running);
    PipelineProgress whileFold0Trains = awaitProgress(p -> p.folds().get(1).state() == FoldState.DONE);
    assertEquals(PipelineStage.TRAIN, whileFold0Trains.stage());
    assertEquals(FoldState.RUNNING, whileFold0Trains.folds().get(0).state());
    FoldProgress cached = whileFold0Trains.folds().get(1);
    assertEquals(4, cached.epoch(), "a cached fold shows all its epochs");
    assertEquals(0.66, cached.bestEma());

    releaseFold0.countDown();
    PipelineResult result = WorkflowStub.fromTyped(pipeline).getResult(WALL_LIMIT.toSeconds(), TimeUnit.SECONDS,
        PipelineResult.class);
    assertEquals(List.of(1), result.cachedFolds());
    assertEquals(List.of(0, 1), result.folds().stream().map(FoldResult::fold).toList());
    assertEquals(new StepRef("results/" + DATASET + "/fold_1/checkpoint_final.zip", "c1"),
        result.folds().get(1).finalCheckpoint(), "find-best gets the cached fold's checkpoint");
    assertEquals(0, training.attempts(1));
    assertEquals(List.of("TrainFold", "Predict"), gpuActivities(r), "only fold 0 and predict went to the gpu queue");
  }

  @Test
  void whenEveryFoldIsFinishedNothingButPredictGoesToTheGpuQueue() throws Exception {
    preparation.finishedFolds.addAll(List.of(0, 1));
    PipelineRequest r = request(List.of(0, 1));
    PipelineResult result = WorkflowStub.fromTyped(startPipeline(r)).getResult(WALL_LIMIT.toSeconds(),
        TimeUnit.SECONDS, PipelineResult.class);
    assertEquals(List.of(0, 1), result.cachedFolds());
    assertEquals(List.of("Predict"), gpuActivities(r));
    assertEquals(List.of("ingest", "convert", "fingerprint", "plan", "finishedFold", "finishedFold", "findBest"),
        preparation.calls, "every cpu step, in pipeline order, each given the previous step's reference");
    assertEquals(List.of(FoldState.DONE, FoldState.DONE), progress().folds().stream().map(FoldProgress::state).toList());
  }

  // --- helpers ---

  /** The activity types scheduled on the gpu queue, in history order. */
  private List<String> gpuActivities(PipelineRequest r) {
    return client.fetchHistory(r.workflowId()).getEvents().stream()
        .filter(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
        .map(HistoryEvent::getActivityTaskScheduledEventAttributes)
        .filter(a -> a.getTaskQueue().getName().equals(TrainingActivities.TASK_QUEUE))
        .map(a -> a.getActivityType().getName())
        .toList();
  }

  private PipelineRequest request(List<Integer> folds) {
    return request(folds, 0);
  }

  private PipelineRequest request(List<Integer> folds, int heartbeatTimeoutSeconds) {
    return new PipelineRequest("raw/fake", 4, "Fake", "rgb", 8.0, 4, 2, 1, folds, "t1", heartbeatTimeoutSeconds);
  }

  private PipelineWorkflow startPipeline(PipelineRequest r) {
    PipelineWorkflow pipeline = client.newWorkflowStub(PipelineWorkflow.class, WorkflowOptions.newBuilder()
        .setTaskQueue(PipelineWorkflow.TASK_QUEUE).setWorkflowId(r.workflowId()).build());
    WorkflowClient.start(pipeline::run, r);
    return pipeline;
  }

  private PipelineProgress progress() {
    return client.newWorkflowStub(PipelineWorkflow.class, request(List.of()).workflowId()).progress();
  }

  private void signal(FoldProgress p) {
    client.newWorkflowStub(PipelineWorkflow.class, request(List.of()).workflowId()).foldProgress(p);
  }

  /** Queries until the progress matches: a signal is applied by the next workflow task, not at once. */
  private PipelineProgress awaitProgress(Predicate<PipelineProgress> wanted) {
    long deadline = System.nanoTime() + WALL_LIMIT.toNanos();
    PipelineProgress p = progress();
    while (!wanted.test(p)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("progress never matched; last " + p);
      }
      p = progress();
    }
    return p;
  }

  private static void awaitWall(CountDownLatch latch) {
    if (!awaitWall(latch, WALL_LIMIT)) {
      throw new AssertionError("waited " + WALL_LIMIT + " in vain");
    }
  }

  private static boolean awaitWall(CountDownLatch latch, Duration d) {
    try {
      return latch.await(d.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static FoldResult foldResult(int fold, int resumedFrom, int epochsRun) {
    return new FoldResult(fold, new StepRef("results/" + DATASET + "/fold_" + fold + "/checkpoint_final.zip", "f" + fold),
        null, resumedFrom, epochsRun, 0.6, 0.7);
  }

  /**
   * The cpu steps answering at once, each refusing a request that does not carry the previous
   * step's reference; plan can be made to wait or fail, and the fold cache told which folds are finished.
   */
  static final class ScriptedPreparation implements DataPreparationActivities {
    static final StepRef SOURCE_MANIFEST = new StepRef("ingest/" + DATASET + "/source_manifest.json", "src");
    static final StepRef MANIFEST = new StepRef("raw/" + DATASET + "/manifest.json", "m");
    static final StepRef FINGERPRINT = new StepRef("preprocessed/" + DATASET + "/dataset_fingerprint.json", "fp");
    static final StepRef PLANS = new StepRef("preprocessed/" + DATASET + "/nnUNetPlans.json", "p");
    final AtomicInteger planAttempts = new AtomicInteger();
    final AtomicInteger findBestCalls = new AtomicInteger();
    final List<String> calls = new CopyOnWriteArrayList<>();
    final Set<Integer> finishedFolds = ConcurrentHashMap.newKeySet();
    volatile ApplicationFailure planFailure;
    volatile Runnable beforePlan = () -> { };

    @Override
    public IngestResult ingest(IngestRequest r) {
      calls.add("ingest");
      return new IngestResult(DATASET, "crop_folders", SOURCE_MANIFEST, 4, 2, 12, "src", false);
    }

    @Override
    public ConvertResult convert(ConvertRequest r) {
      calls.add("convert");
      expect(SOURCE_MANIFEST, r.sourceManifest(), "convert");
      return new ConvertResult(DATASET, MANIFEST, 4, 2, "ck", false);
    }

    @Override
    public FingerprintResult fingerprint(FingerprintRequest r) {
      calls.add("fingerprint");
      expect(MANIFEST, r.manifest(), "fingerprint");
      return new FingerprintResult(DATASET, FINGERPRINT, 4, "fk", false);
    }

    @Override
    public PlanResult planAndPreprocess(PlanRequest r) {
      calls.add("plan");
      expect(MANIFEST, r.manifest(), "plan");
      expect(FINGERPRINT, r.fingerprint(), "plan");
      planAttempts.incrementAndGet();
      beforePlan.run();
      if (planFailure != null) {
        throw planFailure;
      }
      return new PlanResult(r.dataset(), PLANS, new StepRef("preprocessed/" + DATASET + "/splits_final.json", "s"),
          4, "pk", false);
    }

    @Override
    public FinishedFold finishedFold(FoldRequest r) {
      calls.add("finishedFold");
      expect(PLANS, r.plans(), "the fold cache");
      return finishedFolds.contains(r.fold())
          ? FinishedFold.of(new FoldResult(r.fold(), new StepRef("results/" + DATASET + "/fold_" + r.fold()
              + "/checkpoint_final.zip", "c" + r.fold()), null, r.epochs(), 0, 0.66, 0.71))
          : FinishedFold.notFound(r.fold());
    }

    @Override
    public FindBestResult findBest(FindBestRequest r) {
      calls.add("findBest");
      findBestCalls.incrementAndGet();
      StepRef info = new StepRef("results/" + DATASET + "/inference_information.json", "i");
      return new FindBestResult(info, info, info, "2d", 0.7, 0.72, false, "key", false);
    }

    private static void expect(StepRef want, StepRef got, String step) {
      if (!want.equals(got)) {
        throw ApplicationFailure.newNonRetryableFailure(step + " got " + got + ", expected " + want,
            PipelineWorkflow.INVALID_INPUT);
      }
    }
  }

  /** What one fold's attempt does, given its request and activity context. */
  interface FoldScript {
    FoldResult run(FoldRequest request, ActivityExecutionContext ctx);
  }

  /** Fold training by script per fold; prediction answers at once. */
  static final class ScriptedTraining implements TrainingActivities {
    private final Map<Integer, FoldScript> scripts = new ConcurrentHashMap<>();
    private final Map<Integer, AtomicInteger> attempts = new ConcurrentHashMap<>();

    void script(int fold, FoldScript s) {
      scripts.put(fold, s);
    }

    int attempts(int fold) {
      AtomicInteger n = attempts.get(fold);
      return n == null ? 0 : n.get();
    }

    @Override
    public FoldResult trainFold(FoldRequest r) {
      attempts.computeIfAbsent(r.fold(), f -> new AtomicInteger()).incrementAndGet();
      return scripts.get(r.fold()).run(r, Activity.getExecutionContext());
    }

    @Override
    public PredictResult predict(PredictRequest r) {
      return new PredictResult("predictions/" + DATASET + "/" + r.runName(), "overlays", 2,
          new StepRef("predictions/" + DATASET + "/summary.json", "x"), 0.7, 0.72, "key", false);
    }
  }
}
