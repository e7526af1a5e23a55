package org.segflow.activity;

import io.temporal.client.ActivityCompletionException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
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
 * The Temporal side of a fold training, as one listener: a heartbeat {epoch, checkpoint, best EMA}
 * after each epoch (and every {@code iterationHeartbeatNanos} during an epoch, and during the final
 * validation), and a progress signal after each epoch. A cancellation seen during an epoch is held
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
    reporter.progress(new FoldProgress(fold, epochsDone, r.numEpochs(), r.trainLoss(), r.valLoss(),
        r.meanForegroundDice(), r.emaForegroundDice(), bestEma, FoldState.RUNNING));
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
    reporter.heartbeat(new FoldHeartbeat(epochsDone, newestCheckpoint(ctx.outputDir()), bestEma));
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
