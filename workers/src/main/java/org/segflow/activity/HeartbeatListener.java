package org.segflow.activity;

import io.temporal.client.ActivityCompletionException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.segflow.contract.FoldHeartbeat;
import org.segflow.contract.FoldProgress;
import org.segflow.contract.FoldState;
import org.segflow.train.Checkpoint;
import org.segflow.train.EpochResult;
import org.segflow.train.FoldContext;
import org.segflow.train.TrainingHistory;
import org.segflow.train.TrainingListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Temporal side of a fold training, as one listener: a heartbeat {epoch, checkpoint, best EMA, the
 * fold's progress with its epoch time} after each epoch (and every {@code iterationHeartbeatNanos}
 * during an epoch, and during the final validation), and a progress signal to the pipeline on the
 * epochs {@link ProgressSignals} picks (a bounded number per fold). A cancellation seen during an epoch is held
 * until the epoch's checkpoint is written, so a cancelled fold always stops on a whole epoch. So is a
 * stop of the worker ({@link WorkerStop}): the fold then ends with a retryable failure that its retry,
 * on another worker, resumes from that checkpoint. The last epoch is not cut short by a stop: the fold
 * finishes instead (its final checkpoint and validation follow at once).
 */
public final class HeartbeatListener implements TrainingListener {

  private static final Logger LOG = LoggerFactory.getLogger(HeartbeatListener.class);

  private final FoldReporter reporter;
  private final Path home;
  private final int fold;
  private final LongSupplier nanoClock;
  private final long throttleNanos;
  private final WorkerStop stop;
  private final DoubleSupplier secondsPerEpoch;
  private final ProgressSignals signals = new ProgressSignals();
  private int numEpochs;
  private FoldProgress lastEpoch;
  private long lastBeat;
  private int epochsDone;
  private double bestEma = Double.NaN;
  private ActivityCompletionException pendingCancel;

  /** A fold's listener that stops with this process's workers ({@link WorkerStop#process()}). */
  public HeartbeatListener(FoldReporter reporter, Path home, int fold, LongSupplier nanoClock,
      long throttleNanos) {
    this(reporter, home, fold, nanoClock, throttleNanos, WorkerStop.process());
  }

  public HeartbeatListener(FoldReporter reporter, Path home, int fold, LongSupplier nanoClock,
      long throttleNanos, WorkerStop stop) {
    this(reporter, home, fold, 0, () -> Double.NaN, nanoClock, throttleNanos, stop);
  }

  /**
   * A fold of {@code numEpochs} epochs whose heartbeats carry its epoch time ({@code secondsPerEpoch},
   * e.g. an {@link org.segflow.train.EpochClock} that listens before this one).
   */
  public HeartbeatListener(FoldReporter reporter, Path home, int fold, int numEpochs, DoubleSupplier secondsPerEpoch,
      LongSupplier nanoClock, long throttleNanos, WorkerStop stop) {
    this.numEpochs = numEpochs;
    this.secondsPerEpoch = secondsPerEpoch;
    this.reporter = reporter;
    this.home = home;
    this.fold = fold;
    this.nanoClock = nanoClock;
    this.throttleNanos = throttleNanos;
    this.stop = stop;
  }

  @Override
  public void onTrainingStart(FoldContext ctx, TrainingHistory history) {
    epochsDone = history.epochs();
    if (epochsDone > 0) {
      bestEma = history.emaFgDice().stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }
    signals.startAt(epochsDone, numEpochs);
    beat(ctx);
    if (stop.isStopping()) {
      // a fold handed to a worker already stopping gives it back before any epoch
      LOG.info("fold {}: handed back before its first epoch here (this worker is stopping); it resumes from epoch {}"
          + " on another worker", fold, epochsDone);
      throw stop.failure("fold " + fold + " not started: this worker is stopping; it resumes from epoch "
          + epochsDone + " on another worker");
    }
  }

  @Override
  public void onIteration(FoldContext ctx, int epoch, int iteration, int iterationsPerEpoch) {
    if (pendingCancel == null && nanoClock.getAsLong() - lastBeat >= throttleNanos) {
      try {
        beat(ctx);
      } catch (ActivityCompletionException e) {
        pendingCancel = e;
      }
    }
  }

  @Override
  public void onEpochEnd(FoldContext ctx, EpochResult r, TrainingHistory history) {
    epochsDone = r.epoch() + 1;
    if (r.newBestEma() || Double.isNaN(bestEma)) {
      bestEma = r.emaForegroundDice();
    }
    numEpochs = r.numEpochs();
    lastEpoch = new FoldProgress(fold, epochsDone, r.numEpochs(), r.trainLoss(), r.valLoss(),
        r.meanForegroundDice(), r.emaForegroundDice(), bestEma, FoldState.RUNNING);
    if (signals.due(epochsDone, numEpochs)) {
      reporter.progress(progress());
    }
    if (pendingCancel != null) {
      LOG.info("fold {}: cancelled; stopping after epoch {} (checkpoint written)", fold, epochsDone);
      throw pendingCancel;
    }
    beat(ctx);
    if (stop.isStopping() && epochsDone < r.numEpochs()) {
      LOG.info("fold {}: handed back after epoch {} (this worker is stopping); it resumes there on another worker",
          fold, epochsDone);
      throw stop.failure("fold " + fold + " stopped after epoch " + epochsDone + " (checkpoint "
          + newestCheckpoint(ctx.outputDir()) + "): this worker is stopping; it resumes there on another worker");
    }
  }

  @Override
  public void onMessage(FoldContext ctx, String message) {
    // the final validation reports each case: keep the heartbeat alive through it
    if (nanoClock.getAsLong() - lastBeat >= throttleNanos) {
      beat(ctx);
    }
  }

  private void beat(FoldContext ctx) {
    lastBeat = nanoClock.getAsLong();
    reporter.heartbeat(new FoldHeartbeat(epochsDone, newestCheckpoint(ctx.outputDir()), bestEma, progress()));
  }

  /** The last epoch's figures (none before this run's first epoch) with the epoch time as of now. */
  private FoldProgress progress() {
    FoldProgress p = lastEpoch != null ? lastEpoch : new FoldProgress(fold, epochsDone, numEpochs, Double.NaN,
        Double.NaN, Double.NaN, Double.NaN, bestEma, FoldState.RUNNING);
    return new FoldProgress(p.fold(), p.epoch(), p.numEpochs(), p.trainLoss(), p.valLoss(), p.pseudoDice(), p.ema(),
        p.bestEma(), p.state(), secondsPerEpoch.getAsDouble());
  }

  /** The newest checkpoint file of the fold, relative to SEGFLOW_HOME; empty before the first. */
  private String newestCheckpoint(Path foldDir) {
    if (!Files.isDirectory(foldDir)) {
      return "";
    }
    return Stream.of(Checkpoint.FINAL, Checkpoint.LATEST, Checkpoint.BEST)
        .map(foldDir::resolve)
        .filter(Files::isRegularFile)
        .max(Comparator.comparingLong(HeartbeatListener::modified))
        .map(p -> home.relativize(p.toAbsolutePath().normalize()).toString().replace('\\', '/'))
        .orElse("");
  }

  private static long modified(Path p) {
    try {
      return Files.getLastModifiedTime(p).toMillis();
    } catch (java.io.IOException e) {
      return Long.MIN_VALUE;
    }
  }
}
