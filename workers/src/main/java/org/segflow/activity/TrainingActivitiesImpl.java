package org.segflow.activity;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.segflow.contract.FoldHeartbeat;
import org.segflow.contract.FoldRequest;
import org.segflow.contract.FoldResult;
import org.segflow.contract.PredictRequest;
import org.segflow.contract.PredictResult;
import org.segflow.contract.TrainingActivities;
import org.segflow.pipeline.FoldTraining;
import org.segflow.pipeline.TestSetPrediction;
import org.segflow.predict.PredictionListener;
import org.segflow.storage.SegflowPaths;
import org.segflow.train.TrainingListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gpu activities over the engine: fold training ({@link FoldTraining}, which resumes from the newest
 * complete checkpoint on disk whatever the last heartbeat said) with heartbeats, progress signals and a
 * worker's graceful stop ({@link HeartbeatListener}), and the test-set prediction ({@link TestSetPrediction})
 * with a heartbeat per written case.
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
    return Failures.invalidInputIsFinal(() -> new FoldTraining(paths, resources.device(), resources.threads())
        .train(r, ctx.getInfo().getAttempt(), clock -> {
          List<TrainingListener> listeners = new ArrayList<>();
          listeners.add(new HeartbeatListener(new ActivityFoldReporter(ctx), paths.home(), r.fold(), r.epochs(),
              clock::secondsPerEpoch, System::nanoTime,
              iterationHeartbeat(ctx.getInfo().getHeartbeatTimeout()).toNanos(), WorkerStop.process()));
          listeners.addAll(extraListeners.apply(r.fold()));
          return listeners;
        }));
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
