package org.segflow.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.nio.channels.ClosedByInterruptException;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.segflow.train.EpochResult;
import org.segflow.train.FoldContext;
import org.segflow.train.TrainingHistory;
import org.segflow.train.TrainingListener;

/**
 * Publishes a fold's training as Prometheus series (names after export, as README "Metrics" lists them), labelled
 * dataset, configuration, fold only:
 * <ul>
 *   <li>segflow_training_epoch — epochs completed (nnU-Net's epoch index + 1, as the heartbeat counts)</li>
 *   <li>segflow_training_num_epochs — epochs planned (extra: with the above and the epoch time gives the ETA)</li>
 *   <li>segflow_training_loss{split=train|val}, segflow_training_pseudo_dice{ema=false|true},
 *       segflow_training_learning_rate — the last epoch's values</li>
 *   <li>segflow_training_epoch_seconds (summary: _count, _sum, _max), segflow_training_iterations_total</li>
 *   <li>segflow_training_fold_state{state=running|done|failed|cancelled|stopped} — 1 for the fold's current
 *       state in this process, 0 for the others (extra: "folds running/failed" panels and alerts)</li>
 *   <li>segflow_training_fold_state_since_seconds — Unix time of the fold's last state change in this
 *       process (extra): a fold retried on another process has a newer one there, so dashboards and alerts
 *       take, per fold, the state of the process with the newest change and ignore the superseded ones</li>
 * </ul>
 * Gauges read from a holder kept in this listener's map, so they never vanish with garbage collection.
 * How a run ended is told apart by its exception, by whoever runs the loop (a Temporal worker tells a
 * cancellation and its own stop apart; outside one an interrupt is a stop, anything else a failure); the
 * loop cannot tell a failure apart from a crash, so whoever runs it may also call {@link #foldFailed}.
 */
public final class TrainingMetricsListener implements TrainingListener {

  /** A fold's lifecycle as {@code segflow_training_fold_state} shows it. */
  public enum FoldState {
    RUNNING,
    DONE,
    /** The run ended with an error; Temporal retries it (here or on another worker) if it may. */
    FAILED,
    /**
     * The Temporal activity was cancelled, paused or reset, or the server no longer knows it (its
     * workflow ended, or it timed out and its retry runs elsewhere): not a failure of the fold.
     */
    CANCELLED,
    /** This worker stopped and handed the fold back: another worker resumes it. */
    STOPPED;

    /** Outside Temporal: interrupted (the process stops) is {@code stopped}, anything else {@code failed}. */
    public static FoldState endedBy(RuntimeException cause) {
      return Thread.currentThread().isInterrupted() || interrupted(cause) ? STOPPED : FAILED;
    }

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final MeterRegistry registry;
  private final Clock clock;
  private final Function<RuntimeException, FoldState> endedBy;
  private final Map<FoldKey, FoldMeters> folds = new ConcurrentHashMap<>();

  public TrainingMetricsListener(MeterRegistry registry) {
    this(registry, FoldState::endedBy);
  }

  /** {@code endedBy} tells how a run that threw ended (a Temporal worker passes its own). */
  public TrainingMetricsListener(MeterRegistry registry, Function<RuntimeException, FoldState> endedBy) {
    this(registry, Clock.systemUTC(), endedBy);
  }

  /** {@code clock} dates the state changes ({@code segflow_training_fold_state_since_seconds}). */
  public TrainingMetricsListener(MeterRegistry registry, Clock clock, Function<RuntimeException, FoldState> endedBy) {
    this.registry = registry;
    this.clock = clock;
    this.endedBy = endedBy;
  }

  @Override
  public void onTrainingStart(FoldContext fold, TrainingHistory history) {
    FoldMeters m = meters(fold);
    m.epoch = history.epochs();
    enter(m, FoldState.RUNNING);
  }

  @Override
  public void onIteration(FoldContext fold, int epoch, int iteration, int iterationsPerEpoch) {
    meters(fold).iterations.increment();
  }

  @Override
  public void onEpochEnd(FoldContext fold, EpochResult r, TrainingHistory history) {
    FoldMeters m = meters(fold);
    m.epoch = r.epoch() + 1;
    m.numEpochs = r.numEpochs();
    m.trainLoss = r.trainLoss();
    m.valLoss = r.valLoss();
    m.dice = r.meanForegroundDice();
    m.ema = r.emaForegroundDice();
    m.learningRate = r.learningRate();
    m.epochSeconds.record(Duration.ofNanos(Math.round(r.epochSeconds() * 1e9)));
  }

  @Override
  public void onTrainingFailed(FoldContext fold, RuntimeException cause) {
    enter(meters(fold), endedBy.apply(cause));
  }

  @Override
  public void onTrainingEnd(FoldContext fold, TrainingHistory history) {
    enter(meters(fold), FoldState.DONE);
  }

  /** The fold's run ended with an error (the activity or command calls this from its catch). */
  public void foldFailed(FoldContext fold) {
    enter(meters(fold), FoldState.FAILED);
  }


  private static boolean interrupted(Throwable t) {
    for (int depth = 0; t != null && depth < 20; t = t.getCause(), depth++) {
      if (t instanceof InterruptedException || t instanceof ClosedByInterruptException) {
        return true;
      }
    }
    return false;
  }

  private void enter(FoldMeters m, FoldState state) {
    m.state = state;
    m.since = clock.millis() / 1000.0;
  }

  private FoldMeters meters(FoldContext fold) {
    return folds.computeIfAbsent(new FoldKey(fold.dataset(), fold.configuration(), fold.fold()),
        k -> new FoldMeters(registry, k.tags(), clock.millis() / 1000.0));
  }

  private record FoldKey(String dataset, String configuration, String fold) {
    Tags tags() {
      return Tags.of("dataset", dataset, "configuration", configuration, "fold", fold);
    }
  }

  /** One fold's current values; the gauges read these fields. */
  private static final class FoldMeters {
    volatile double epoch;
    volatile double numEpochs = Double.NaN;
    volatile double trainLoss = Double.NaN;
    volatile double valLoss = Double.NaN;
    volatile double dice = Double.NaN;
    volatile double ema = Double.NaN;
    volatile double learningRate = Double.NaN;
    volatile FoldState state = FoldState.RUNNING;
    volatile double since;
    final Counter iterations;
    final Timer epochSeconds;

    FoldMeters(MeterRegistry registry, Tags tags, double since) {
      this.since = since;
      Gauge.builder("segflow.training.epoch", this, m -> m.epoch).tags(tags)
          .description("Epochs completed").strongReference(true).register(registry);
      Gauge.builder("segflow.training.num.epochs", this, m -> m.numEpochs).tags(tags)
          .description("Epochs planned").strongReference(true).register(registry);
      Gauge.builder("segflow.training.loss", this, m -> m.trainLoss).tags(tags.and("split", "train"))
          .description("Loss of the last epoch").strongReference(true).register(registry);
      Gauge.builder("segflow.training.loss", this, m -> m.valLoss).tags(tags.and("split", "val"))
          .description("Loss of the last epoch").strongReference(true).register(registry);
      Gauge.builder("segflow.training.pseudo.dice", this, m -> m.dice).tags(tags.and("ema", "false"))
          .description("Mean foreground pseudo Dice of the last epoch (ema=true: its moving average)")
          .strongReference(true).register(registry);
      Gauge.builder("segflow.training.pseudo.dice", this, m -> m.ema).tags(tags.and("ema", "true"))
          .description("Mean foreground pseudo Dice of the last epoch (ema=true: its moving average)")
          .strongReference(true).register(registry);
      Gauge.builder("segflow.training.learning.rate", this, m -> m.learningRate).tags(tags)
          .description("Learning rate of the last epoch").strongReference(true).register(registry);
      for (FoldState s : FoldState.values()) {
        Gauge.builder("segflow.training.fold.state", this, m -> m.state == s ? 1 : 0)
            .tags(tags.and("state", s.label()))
            .description("1 for the fold's current state").strongReference(true).register(registry);
      }
      Gauge.builder("segflow.training.fold.state.since.seconds", this, m -> m.since).tags(tags)
          .description("Unix time of the fold's last state change in this process")
          .strongReference(true).register(registry);
      iterations = Counter.builder("segflow.training.iterations").tags(tags)
          .description("Training iterations run").register(registry);
      epochSeconds = Timer.builder("segflow.training.epoch.seconds").tags(tags)
          .description("Wall time of an epoch, validation included").register(registry);
    }
  }
}
