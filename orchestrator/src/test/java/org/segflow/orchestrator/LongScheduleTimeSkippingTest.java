package org.segflow.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.RetryState;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
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
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.segflow.activity.ProgressSignals;
import org.segflow.activity.WorkerStop;
import org.segflow.contract.DataPreparationActivities;
import org.segflow.contract.FoldHeartbeat;
import org.segflow.contract.FoldProgress;
import org.segflow.contract.FoldResult;
import org.segflow.contract.FoldState;
import org.segflow.contract.PipelineProgress;
import org.segflow.contract.PipelineRequest;
import org.segflow.contract.PipelineResult;
import org.segflow.contract.PipelineStage;
import org.segflow.contract.PipelineWorkflow;
import org.segflow.contract.StepRef;
import org.segflow.contract.TrainingActivities;
import org.segflow.orchestrator.PipelineWorkflowTimeSkippingTest.ScriptedPreparation;
import org.segflow.orchestrator.PipelineWorkflowTimeSkippingTest.ScriptedTraining;

/**
 * Schedules of nnU-Net's length on the time-skipping test server, with scripted folds: five folds of
 * 1000 epochs keep the pipeline's history bounded, a fold attempt far longer than any fixed timeout
 * completes as its first attempt, lost workers never exhaust a fold's attempts, and only the user's
 * own limit on a fold's duration ends a fold that does not finish.
 */
class LongScheduleTimeSkippingTest {

  private static final String DATASET = "Dataset004_Fake";
  private static final Duration WALL_LIMIT = Duration.ofSeconds(60);
  /** What the five-fold, 1000-epoch pipeline's history must stay under (Temporal warns at 10,240). */
  static final int HISTORY_BOUND = 800;

  private TestWorkflowEnvironment env;
  private WorkflowClient client;
  private final ScriptedPreparation preparation = new ScriptedPreparation();
  private final ScriptedTraining training = new ScriptedTraining();

  @BeforeEach
  void start() {
    env = TestWorkflowEnvironment.newInstance();
    client = env.getWorkflowClient();
    env.newWorker(PipelineWorkflow.TASK_QUEUE).registerWorkflowImplementationTypes(PipelineWorkflowImpl.class);
    env.newWorker(DataPreparationActivities.TASK_QUEUE).registerActivitiesImplementations(preparation);
    env.newWorker(TrainingActivities.TASK_QUEUE, WorkerOptions.newBuilder()
            .setMaxHeartbeatThrottleInterval(Duration.ofMillis(20)).build())
        .registerActivitiesImplementations(training);
    env.start();
  }

  @AfterEach
  void stop() {
    env.close();
  }

  @Test
  void fiveFoldsOfAThousandEpochsHeartbeatingEveryEpochKeepTheHistoryBounded() throws Exception {
    int epochs = 1000;
    List<Integer> folds = List.of(0, 1, 2, 3, 4);
    for (int fold : folds) {
      training.script(fold, (req, ctx) -> {
        ProgressSignals signals = new ProgressSignals();
        signals.startAt(0, req.epochs());
        for (int epoch = 1; epoch <= req.epochs(); epoch++) {
          FoldProgress p = new FoldProgress(req.fold(), epoch, req.epochs(), 1.0 / epoch, 1.1 / epoch, 0.5, 0.5,
              0.5, FoldState.RUNNING, 90.0);
          ctx.heartbeat(new FoldHeartbeat(epoch, "results/" + DATASET + "/fold_" + req.fold()
              + "/checkpoint_latest.zip", 0.5, p));
          if (signals.due(epoch, req.epochs())) {
            client.newWorkflowStub(PipelineWorkflow.class, ctx.getInfo().getWorkflowId()).foldProgress(p);
          }
        }
        return foldResult(req.fold(), 0, req.epochs());
      });
    }
    PipelineRequest r = request(folds, epochs, 0, 0);
    PipelineResult result = start(r).getResult(WALL_LIMIT.toSeconds(), TimeUnit.SECONDS, PipelineResult.class);

    assertEquals(folds, result.folds().stream().map(FoldResult::fold).toList());
    List<HistoryEvent> history = client.fetchHistory(r.workflowId()).getEvents();
    Map<EventType, Long> byType = history.stream().collect(Collectors.groupingBy(HistoryEvent::getEventType,
        Collectors.counting()));
    long signals = byType.getOrDefault(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED, 0L);
    System.out.printf(Locale.ROOT, "[history] 5 folds x %d epochs: %d events, %d of them signals%n", epochs,
        history.size(), signals);
    assertTrue(signals <= folds.size() * (ProgressSignals.PER_FOLD + 1L), signals + " signals");
    assertTrue(signals >= folds.size() * 2L, "each fold still signals its first and last epoch: " + signals);
    assertTrue(history.size() < HISTORY_BOUND, history.size() + " events: " + byType);
    PipelineProgress p = progress(r);
    assertEquals(PipelineStage.DONE, p.stage());
    assertTrue(p.folds().stream().allMatch(f -> f.state() == FoldState.DONE && f.epoch() == epochs), p.toString());
  }

  @Test
  void aFoldAttemptOfSixtyHoursCompletesAsItsFirstAttempt() throws Exception {
    int epochs = 30;
    Duration epochTime = Duration.ofHours(2);
    training.script(0, (req, ctx) -> {
      for (int epoch = 1; epoch <= req.epochs(); epoch++) {
        // an epoch's work in skipped time, then its heartbeat, seen by the server before the next epoch
        env.sleep(epochTime);
        ctx.heartbeat(new FoldHeartbeat(epoch, "checkpoint_latest.zip", 0.5));
        awaitHeartbeat(ctx.getInfo().getWorkflowId(), epoch);
      }
      return foldResult(req.fold(), 0, req.epochs());
    });
    // the heartbeat timeout must exceed an epoch; nothing else bounds the attempt
    PipelineRequest r = request(List.of(0), epochs, (int) epochTime.multipliedBy(3).toSeconds(), 0);
    long startMillis = env.currentTimeMillis();
    PipelineResult result = start(r).getResult(WALL_LIMIT.toSeconds(), TimeUnit.SECONDS, PipelineResult.class);
    long hours = (env.currentTimeMillis() - startMillis) / 3_600_000;

    assertEquals(epochs, result.folds().get(0).epochsRun());
    assertTrue(hours >= 60, "the fold ran " + hours + " h of test time");
    assertEquals(1, training.attempts(0), "no timeout cut the attempt short");
  }

  @Test
  void workersLostMoreOftenThanTheOldAttemptLimitNeverExhaustAFold() throws Exception {
    int lost = 14;
    training.script(0, (req, ctx) -> {
      if (ctx.getInfo().getAttempt() <= lost) {
        // what a worker stopping (a rolling update, a preempted node) hands back
        throw ApplicationFailure.newFailure("fold 0 stopped after epoch " + ctx.getInfo().getAttempt()
            + ": this worker is stopping", WorkerStop.FAILURE_TYPE);
      }
      return foldResult(req.fold(), lost, req.epochs() - lost);
    });
    PipelineRequest r = request(List.of(0), 20, 0, 0);
    PipelineResult result = start(r).getResult(WALL_LIMIT.toSeconds(), TimeUnit.SECONDS, PipelineResult.class);

    assertEquals(lost + 1, training.attempts(0));
    assertEquals(lost, result.folds().get(0).resumedFromEpoch());
    assertTrue(lost + 1 > PipelineTimeouts.DEFAULTS.maxAttempts(), "more attempts than the other steps may have");
  }

  @Test
  void onlyTheUsersLimitOnAFoldsDurationEndsAFoldThatNeverFinishes() {
    training.script(0, (req, ctx) -> {
      throw ApplicationFailure.newFailure("fold 0: this worker is stopping", WorkerStop.FAILURE_TYPE);
    });
    PipelineRequest r = request(List.of(0), 20, 0, Duration.ofHours(3).toSeconds());
    WorkflowFailedException e = assertThrows(WorkflowFailedException.class,
        () -> start(r).getResult(WALL_LIMIT.toSeconds(), TimeUnit.SECONDS, PipelineResult.class));

    ApplicationFailure tooLong = assertInstanceOf(ApplicationFailure.class, e.getCause());
    assertEquals(PipelineWorkflowImpl.FOLD_DURATION_EXCEEDED, tooLong.getType());
    assertTrue(tooLong.getOriginalMessage().contains("fold 0 did not finish within its maximum duration of PT3H"),
        tooLong.getOriginalMessage());
    ActivityFailure activity = assertInstanceOf(ActivityFailure.class, tooLong.getCause());
    assertEquals(RetryState.RETRY_STATE_TIMEOUT, activity.getRetryState());
    assertTrue(training.attempts(0) > 3, "retried until the limit: " + training.attempts(0) + " attempts");
    assertEquals(FoldState.FAILED, progress(r).folds().get(0).state());
  }

  // --- helpers ---

  private PipelineRequest request(List<Integer> folds, int epochs, int heartbeatTimeoutSeconds,
      long maxFoldDurationSeconds) {
    return new PipelineRequest("raw/fake", 4, "Fake", "rgb", 8.0, epochs, 250, 50, folds, "long",
        heartbeatTimeoutSeconds, maxFoldDurationSeconds);
  }

  private WorkflowStub start(PipelineRequest r) {
    PipelineWorkflow pipeline = client.newWorkflowStub(PipelineWorkflow.class, WorkflowOptions.newBuilder()
        .setTaskQueue(PipelineWorkflow.TASK_QUEUE).setWorkflowId(r.workflowId()).build());
    WorkflowClient.start(pipeline::run, r);
    return WorkflowStub.fromTyped(pipeline);
  }

  private PipelineProgress progress(PipelineRequest r) {
    return client.newWorkflowStub(PipelineWorkflow.class, r.workflowId()).progress();
  }

  /** Waits until the server holds the fold's heartbeat of {@code epoch} (heartbeats leave the worker throttled). */
  private void awaitHeartbeat(String workflowId, int epoch) {
    long deadline = System.nanoTime() + WALL_LIMIT.toNanos();
    while (System.nanoTime() < deadline) {
      List<PendingActivityInfo> pending = client.getWorkflowServiceStubs().blockingStub()
          .describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
              .setNamespace(client.getOptions().getNamespace())
              .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId)).build())
          .getPendingActivitiesList();
      for (PendingActivityInfo a : pending) {
        if (a.hasHeartbeatDetails() && a.getHeartbeatDetails().getPayloadsCount() > 0) {
          FoldHeartbeat h = client.getOptions().getDataConverter().fromPayloads(0,
              Optional.of(a.getHeartbeatDetails()), FoldHeartbeat.class, FoldHeartbeat.class);
          if (h.epoch() >= epoch) {
            return;
          }
        }
      }
    }
    throw new AssertionError("the heartbeat of epoch " + epoch + " never reached the server");
  }

  private static FoldResult foldResult(int fold, int resumedFrom, int epochsRun) {
    return new FoldResult(fold, new StepRef("results/" + DATASET + "/fold_" + fold + "/checkpoint_final.zip",
        "f" + fold), null, resumedFrom, epochsRun, 0.6, 0.7);
  }
}
