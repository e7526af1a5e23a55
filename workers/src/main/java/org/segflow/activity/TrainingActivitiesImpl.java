package org.segflow.activity;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;
import org.segflow.contract.FoldHeartbeat;
import org.segflow.contract.FoldRequest;
import org.segflow.contract.FoldResult;
import org.segflow.contract.PredictRequest;
import org.segflow.contract.PredictResult;
import org.segflow.contract.StepRef;
import org.segflow.contract.TrainingActivities;
import org.segflow.pipeline.FinishedFolds;
import org.segflow.pipeline.FoldInputs;
import org.segflow.pipeline.FoldLog;
import org.segflow.pipeline.StepRefs;
import org.segflow.pipeline.TestSetPrediction;
import org.segflow.predict.PredictionListener;
import org.segflow.storage.SegflowPaths;
import org.segflow.train.EpochClock;
import org.segflow.train.FoldTrainer;
import org.segflow.train.FoldTrainingJob;
import org.segflow.train.TrainingListener;
import org.segflow.train.TrainingSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fold training over {@link FoldTrainingJob}, and the test-set prediction ({@link TestSetPrediction}). Every attempt resumes: a retry (or a repeated
 * pipeline) continues from the newest complete checkpoint on disk, whatever the last heartbeat said.
 */
public final class TrainingActivitiesImpl implements TrainingActivities {

  private static final Logger LOG = LoggerFactory.getLogger(TrainingActivitiesImpl.class);
  /** Heartbeats within an epoch at most this often (the SDK throttles further). */
  public static final Duration ITERATION_HEARTBEAT = Duration.ofSeconds(10);
  /**
   * Folds one worker process may train at once. DJL's PyTorch gradient collector is global to the
   * process ("A PtGradientCollector is already collecting"), so a gpu worker trains one fold at a
   * time; folds run in parallel on several worker processes.
   */
  public static final int MAX_CONCURRENT_FOLDS = 1;

  /** Where and how a worker trains. */
  public record Resources(String device, int threads) {
    public static final Resources DEFAULTS = new Resources("auto", 2);
  }

  private final SegflowPaths paths;
  private final Resources resources;
  private final IntFunction<List<TrainingListener>> extraListeners;

  public TrainingActivitiesImpl(SegflowPaths paths, Resources resources) {
    this(paths, resources, fold -> List.of());
  }

  /** {@code extraListeners} adds listeners per fold (console output, metrics, fault injection in tests). */
  public TrainingActivitiesImpl(SegflowPaths paths, Resources resources,
      IntFunction<List<TrainingListener>> extraListeners) {
    this.paths = paths;
    this.resources = resources;
    this.extraListeners = extraListeners;
  }

  @Override
  public FoldResult trainFold(FoldRequest r) {
    ActivityExecutionContext ctx = Activity.getExecutionContext();
    ctx.getHeartbeatDetails(FoldHeartbeat.class).ifPresent(h -> LOG.info(
        "fold {}: attempt {}; the last heartbeat was epoch {} ({}); resuming from the newest checkpoint",
        r.fold(), ctx.getInfo().getAttempt(), h.epoch(), h.checkpoint()));
    // a beat before the engine loads: a fresh worker process may take seconds to reach the first epoch
    ctx.heartbeat(ctx.getHeartbeatDetails(FoldHeartbeat.class).orElse(null));
    return Failures.invalidInputIsFinal(() -> {
      Path plansFile = StepRefs.verified(paths, r.plans());
      // the fold cache's own decision, before the engine loads: a retry may find the fold finished
      Optional<FoldResult> finished = new FinishedFolds(paths).find(r);
      if (finished.isPresent()) {
        LOG.info("fold {}: already finished with the same plans, data and budget", r.fold());
        return finished.get();
      }
      String plansName = plansFile.getFileName().toString().replaceFirst("\\.json$", "");
      TrainingSettings settings = new TrainingSettings(r.epochs(), r.iterations(), r.valIterations(), 1, true,
          TrainingSettings.DEFAULT_SEED, 1, true);
      List<TrainingListener> listeners = new ArrayList<>();
      // before the heartbeat listener: its cancellation or hand-back ends the epoch's listener calls
      listeners.add(new FoldLog(ctx.getInfo().getAttempt()));
      EpochClock clock = new EpochClock(r.epochs(), r.valIterations(),
          cost -> LOG.info("fold {} of {}: {}", r.fold(), r.dataset(), cost.describe()));
      listeners.add(clock);
      listeners.add(new HeartbeatListener(new ActivityFoldReporter(ctx), paths.home(), r.fold(), r.epochs(),
          clock::secondsPerEpoch, System::nanoTime, iterationHeartbeat(ctx.getInfo().getHeartbeatTimeout()).toNanos(),
          WorkerStop.process()));
      listeners.addAll(extraListeners.apply(r.fold()));
      FoldTrainingJob job = new FoldTrainingJob(paths);
      String fold = Integer.toString(r.fold());
      FoldInputs.claim(job.prepare(r.dataset(), r.configuration(), fold, plansName).foldDir(),
          FoldInputs.text(r.inputsKey(), r.plans().sha256()));
      FoldTrainer.Outcome o = job.run(new FoldTrainingJob.Request(r.dataset(),
          r.configuration(), fold, plansName, settings.withResume(true),
          resources.device(), resources.threads()), listeners);
      StepRef summary = o.validation() != null && Files.isRegularFile(o.validation().summaryFile())
          ? StepRefs.of(paths, o.validation().summaryFile()) : null;
      return new FoldResult(r.fold(), StepRefs.of(paths, o.finalCheckpoint()), summary, o.resumedFromEpoch(),
          o.epochsRun(), o.bestEma(), o.validation() == null ? Double.NaN : o.validation().foregroundMeanDice());
    });
  }

  @Override
  public PredictResult predict(PredictRequest r) {
    ActivityExecutionContext ctx = Activity.getExecutionContext();
    ctx.heartbeat(0);
    return Failures.invalidInputIsFinal(() -> new TestSetPrediction(paths,
        new TestSetPrediction.Resources(resources.device(), resources.threads())).run(r, new PredictionListener() {
          @Override
          public void onCaseWritten(String caseId, int done, int total, double seconds) {
            ctx.heartbeat(done);
          }
        }));
  }

  /**
   * How often to beat within an epoch: {@link #ITERATION_HEARTBEAT}, or a third of the activity's
   * heartbeat timeout when that is shorter, so a slow epoch never looks like a dead worker.
   */
  static Duration iterationHeartbeat(Duration timeout) {
    if (timeout == null || timeout.isZero()) {
      return ITERATION_HEARTBEAT;
    }
    Duration third = timeout.dividedBy(3);
    return third.compareTo(ITERATION_HEARTBEAT) < 0 ? third : ITERATION_HEARTBEAT;
  }
}
