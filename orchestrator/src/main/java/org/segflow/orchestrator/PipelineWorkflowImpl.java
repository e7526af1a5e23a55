package org.segflow.orchestrator;

import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.api.enums.v1.RetryState;
import io.temporal.api.enums.v1.TimeoutType;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TimeoutFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.segflow.contract.ConvertRequest;
import org.segflow.contract.ConvertResult;
import org.segflow.contract.DataPreparationActivities;
import org.segflow.contract.FindBestRequest;
import org.segflow.contract.FindBestResult;
import org.segflow.contract.FingerprintRequest;
import org.segflow.contract.FingerprintResult;
import org.segflow.contract.FinishedFold;
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
import org.segflow.contract.TrainingActivities;

/**
 * ingest -> convert -> fingerprint -> plan (cpu, each answered from its step cache when its inputs
 * are unchanged) -> the fold cache (cpu) -> the unfinished folds in parallel (gpu) -> find-best (cpu)
 * -> predict the test images (gpu); find-best and predict have step caches of their own too, so a re-run
 * with nothing changed does no work in any step. A fold the fold cache finds finished is never sent to the gpu
 * queue, so a busy gpu pool cannot delay it. The workflow holds only what its history tells it
 * (activity results and the folds' progress signals), so it replays exactly; the heavy state lives
 * on disk, addressed by {@link org.segflow.contract.StepRef}s. Activity options come from the
 * request (its heartbeat timeout, its limit on a fold's duration), so they are part of the history
 * too; {@link PipelineTimeouts} says why nothing else bounds a fold's duration.
 *
 * <p>The history does not grow with the schedule: besides a fixed number of events per activity,
 * each fold signals at most {@code ProgressSignals.PER_FOLD + 1} times per attempt whatever its
 * epochs (a 5-fold, 1000-epoch pipeline stays under 800 events, see the time-skipping tests); the
 * progress of every epoch travels in the fold's heartbeat, which the history does not keep.
 */
public final class PipelineWorkflowImpl implements PipelineWorkflow {

  /** nnU-Net's 2d configuration (the plans' only one; workflows do not see the engine's Plans). */
  static final String CONFIGURATION = "2d";
  /** The failure type of a fold that outlived the user's --max-fold-duration. */
  static final String FOLD_DURATION_EXCEEDED = "FoldDurationExceeded";

  private final PipelineTimeouts timeouts;
  private PipelineStage stage = PipelineStage.INGEST;
  private final TreeMap<Integer, FoldProgress> folds = new TreeMap<>();

  public PipelineWorkflowImpl() {
    this(PipelineTimeouts.DEFAULTS);
  }

  public PipelineWorkflowImpl(PipelineTimeouts t) {
    this.timeouts = t;
  }

  @Override
  public PipelineResult run(PipelineRequest r) {
    PipelineTimeouts t = timeouts;
    if (r.heartbeatTimeoutSeconds() > 0) {
      t = t.withHeartbeat(Duration.ofSeconds(r.heartbeatTimeoutSeconds()));
    }
    if (r.maxFoldDurationSeconds() > 0) {
      t = t.withMaxFoldDuration(Duration.ofSeconds(r.maxFoldDurationSeconds()));
    }
    RetryOptions retry = RetryOptions.newBuilder()
        .setInitialInterval(t.retryInitialInterval())
        .setMaximumAttempts(t.maxAttempts())
        .setDoNotRetry(INVALID_INPUT)
        .build();
    DataPreparationActivities prepare = Workflow.newActivityStub(DataPreparationActivities.class,
        ActivityOptions.newBuilder()
            .setTaskQueue(DataPreparationActivities.TASK_QUEUE)
            .setStartToCloseTimeout(t.stepStartToClose())
            // cpu workers heartbeat while a step runs: a killed one's step is retried after this
            .setHeartbeatTimeout(t.heartbeat())
            .setRetryOptions(retry)
            .build());
    ActivityOptions.Builder gpuOptions = ActivityOptions.newBuilder()
        .setTaskQueue(TrainingActivities.TASK_QUEUE)
        .setStartToCloseTimeout(t.stepStartToClose())
        .setHeartbeatTimeout(t.heartbeat())
        // a cancelled pipeline ends only once its folds stopped on a whole, checkpointed epoch
        .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED);
    ActivityOptions.Builder foldOptions = gpuOptions.build().toBuilder()
        .setRetryOptions(RetryOptions.newBuilder()
            .setInitialInterval(t.retryInitialInterval())
            .setMaximumInterval(t.foldRetryMaximumInterval())
            .setMaximumAttempts(0) // unlimited: see PipelineTimeouts
            .setDoNotRetry(INVALID_INPUT)
            .build());
    if (t.maxFoldDuration() != null) {
      foldOptions.setScheduleToCloseTimeout(t.maxFoldDuration());
    }
    TrainingActivities training = Workflow.newActivityStub(TrainingActivities.class, foldOptions.build());
    TrainingActivities gpu = Workflow.newActivityStub(TrainingActivities.class,
        gpuOptions.setRetryOptions(retry).build());
    r.folds().forEach(f -> folds.put(f, FoldProgress.pending(f, r.epochs())));
    try {
      stage = PipelineStage.INGEST;
      IngestResult ingested = prepare.ingest(new IngestRequest(r.source(), r.datasetId(), r.datasetName()));
      stage = PipelineStage.CONVERT;
      ConvertResult converted = prepare.convert(new ConvertRequest(r.source(), r.datasetId(), r.datasetName(),
          r.channels(), ingested.sourceManifest()));
      stage = PipelineStage.FINGERPRINT;
      FingerprintResult fingerprinted = prepare.fingerprint(new FingerprintRequest(converted.dataset(),
          converted.manifest()));
      stage = PipelineStage.PLAN;
      PlanResult planned = prepare.planAndPreprocess(new PlanRequest(converted.dataset(), r.memoryTargetGb(),
          converted.manifest(), fingerprinted.fingerprint()));
      stage = PipelineStage.TRAIN;
      List<FoldRequest> requests = r.folds().stream()
          .map(fold -> new FoldRequest(planned.dataset(), fold, CONFIGURATION, planned.plans(), planned.cacheKey(),
              r.epochs(), r.iterations(), r.valIterations()))
          .toList();
      Map<Integer, FoldResult> cached = finishedFolds(prepare, requests, r.epochs());
      Map<Integer, FoldResult> trained = trainFolds(training, requests.stream()
          .filter(q -> !cached.containsKey(q.fold())).toList(), r.epochs(), t.maxFoldDuration());
      List<FoldResult> results = r.folds().stream()
          .map(f -> cached.containsKey(f) ? cached.get(f) : trained.get(f)).toList();
      stage = PipelineStage.FIND_BEST;
      FindBestResult findBest = prepare.findBest(new FindBestRequest(planned.dataset(), r.folds(),
          results.stream().map(FoldResult::finalCheckpoint).toList()));
      stage = PipelineStage.PREDICT;
      PredictResult predicted = gpu.predict(new PredictRequest(planned.dataset(), r.source(), r.folds(),
          r.runName(), findBest.inferenceInformation()));
      stage = PipelineStage.DONE;
      return new PipelineResult(ingested, converted, fingerprinted, planned, results,
          List.copyOf(cached.keySet()), findBest, predicted);
    } catch (RuntimeException e) {
      stage = isCancel(e) ? PipelineStage.CANCELLED : PipelineStage.FAILED;
      throw e;
    }
  }

  /**
   * Asks the fold cache (cpu) about every fold at once; the finished ones are DONE without touching
   * the gpu queue.
   */
  private Map<Integer, FoldResult> finishedFolds(DataPreparationActivities prepare, List<FoldRequest> requests,
      int epochs) {
    List<Promise<FinishedFold>> lookups = new ArrayList<>();
    for (FoldRequest q : requests) {
      lookups.add(Async.function(prepare::finishedFold, q));
    }
    Map<Integer, FoldResult> cached = new TreeMap<>();
    for (int i = 0; i < requests.size(); i++) {
      int fold = requests.get(i).fold();
      FinishedFold f = lookups.get(i).get();
      if (f.found()) {
        cached.put(fold, f.result());
        folds.put(fold, done(folds.get(fold), epochs, f.result()));
      }
    }
    return cached;
  }

  /**
   * The given folds at once on the gpu queue; the first failure (or the pipeline's cancellation)
   * cancels the others, which stop on a whole, checkpointed epoch before the pipeline ends.
   */
  private Map<Integer, FoldResult> trainFolds(TrainingActivities training, List<FoldRequest> requests, int epochs,
      Duration maxFoldDuration) {
    List<Promise<FoldResult>> running = new ArrayList<>();
    CancellationScope scope = Workflow.newCancellationScope(() -> {
      for (FoldRequest req : requests) {
        int fold = req.fold();
        folds.put(fold, folds.get(fold).withState(FoldState.RUNNING));
        running.add(Async.function(training::trainFold, req).handle((res, err) -> {
          if (err == null) {
            folds.put(fold, done(folds.get(fold), epochs, res));
            return res;
          }
          folds.put(fold, folds.get(fold).withState(isCancel(err) ? FoldState.CANCELLED : FoldState.FAILED));
          if (maxFoldDuration != null && err instanceof ActivityFailure a
              && (a.getRetryState() == RetryState.RETRY_STATE_TIMEOUT || a.getCause() instanceof TimeoutFailure tf
                  && tf.getTimeoutType() == TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_CLOSE)) {
            throw ApplicationFailure.newNonRetryableFailureWithCause("fold " + fold + " did not finish within its "
                + "maximum duration of " + maxFoldDuration + " (--max-fold-duration)", FOLD_DURATION_EXCEEDED, err);
          }
          throw err;
        }));
      }
    });
    scope.run();
    try {
      Promise.allOf(running).get();
    } catch (RuntimeException e) {
      scope.cancel();
      // the others stop on a whole epoch; end only when every fold has stopped
      for (Promise<FoldResult> p : running) {
        try {
          p.get();
        } catch (RuntimeException stopped) {
          // reported through the fold's state; e is the pipeline's failure
        }
      }
      throw e;
    }
    Map<Integer, FoldResult> results = new TreeMap<>();
    for (int i = 0; i < requests.size(); i++) {
      results.put(requests.get(i).fold(), running.get(i).get());
    }
    return results;
  }

  /** A finished fold: all its epochs, the last losses its signals reported, the result's best EMA. */
  private static FoldProgress done(FoldProgress p, int epochs, FoldResult res) {
    return new FoldProgress(p.fold(), epochs, epochs, p.trainLoss(), p.valLoss(), p.pseudoDice(), p.ema(),
        res.bestEma(), FoldState.DONE, p.secondsPerEpoch());
  }

  private static boolean isCancel(RuntimeException e) {
    return e instanceof CanceledFailure
        || (e instanceof ActivityFailure && e.getCause() instanceof CanceledFailure);
  }

  @Override
  public PipelineProgress progress() {
    return new PipelineProgress(stage, new ArrayList<>(folds.values()));
  }

  @Override
  public void foldProgress(FoldProgress p) {
    FoldProgress known = folds.get(p.fold());
    // a late signal never moves a fold backwards or out of a final state
    if (known != null && known.state() == FoldState.RUNNING && p.epoch() >= known.epoch()) {
      folds.put(p.fold(), p.withState(FoldState.RUNNING));
    }
  }
}
