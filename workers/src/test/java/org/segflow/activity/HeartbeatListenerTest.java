package org.segflow.activity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.temporal.client.ActivityCanceledException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segflow.contract.FoldHeartbeat;
import org.segflow.contract.FoldProgress;
import org.segflow.contract.FoldState;
import org.segflow.train.Checkpoint;
import org.segflow.train.EpochResult;
import org.segflow.train.FoldContext;
import org.segflow.train.TrainingHistory;

/** Heartbeats per epoch and throttled within one; a cancellation waits for the epoch's checkpoint. */
class HeartbeatListenerTest {

  private static final long SECOND = 1_000_000_000L;

  private final List<FoldHeartbeat> beats = new ArrayList<>();
  private final List<FoldProgress> progress = new ArrayList<>();
  private final AtomicLong clock = new AtomicLong(100 * SECOND);
  private boolean cancelled;

  private final FoldReporter reporter = new FoldReporter() {
    @Override
    public void heartbeat(FoldHeartbeat details) {
      beats.add(details);
      if (cancelled) {
        throw new ActivityCanceledException();
      }
    }

    @Override
    public void progress(FoldProgress p) {
      progress.add(p);
    }
  };

  @Test
  void beatsEachEpochAndAtMostEveryTenSecondsWithin(@TempDir Path home) throws Exception {
    Path foldDir = Files.createDirectories(home.resolve("results/D/T/fold_1"));
    FoldContext ctx = new FoldContext("D", "2d", "1", foldDir);
    HeartbeatListener l = new HeartbeatListener(reporter, home, 1, clock::get, 10 * SECOND);
    l.onTrainingStart(ctx, new TrainingHistory());
    assertEquals(new FoldHeartbeat(0, "", Double.NaN), figures(beats.get(0)));

    for (int it = 1; it <= 5; it++) {
      clock.addAndGet(4 * SECOND);
      l.onIteration(ctx, 0, it, 5);
    }
    assertEquals(2, beats.size(), "after 12 s and the throttle of 10 s: one more beat, not five");

    Files.write(foldDir.resolve(Checkpoint.LATEST), new byte[] {1});
    l.onEpochEnd(ctx, epoch(0, 0.4, true), new TrainingHistory());
    FoldHeartbeat last = beats.get(beats.size() - 1);
    assertEquals(new FoldHeartbeat(1, "results/D/T/fold_1/checkpoint_latest.zip", 0.4), figures(last));
    assertEquals(new FoldProgress(1, 1, 3, 0.5, 0.6, 0.3, 0.4, 0.4, FoldState.RUNNING), progress.get(0));
    assertEquals(progress.get(0), last.progress(), "the heartbeat carries the epoch's figures too");

    l.onEpochEnd(ctx, epoch(1, 0.35, false), new TrainingHistory());
    assertEquals(0.4, progress.get(1).bestEma(), "best EMA stays at the best epoch");
  }

  @Test
  void aCancellationSeenWithinAnEpochIsRaisedOnlyAfterItsCheckpoint(@TempDir Path home) {
    FoldContext ctx = new FoldContext("D", "2d", "0", home.resolve("fold_0"));
    HeartbeatListener l = new HeartbeatListener(reporter, home, 0, clock::get, 0);
    l.onTrainingStart(ctx, new TrainingHistory());
    cancelled = true;
    l.onIteration(ctx, 0, 1, 3);
    l.onIteration(ctx, 0, 2, 3);
    assertEquals(2, beats.size(), "no more heartbeats once cancelled");
    ActivityCanceledException e = assertThrows(ActivityCanceledException.class,
        () -> l.onEpochEnd(ctx, epoch(0, 0.2, true), new TrainingHistory()));
    assertSame(ActivityCanceledException.class, e.getClass());
    assertEquals(1, progress.size(), "the finished epoch is still reported");
  }

  @Test
  void aThousandEpochFoldHeartbeatsEveryEpochButSignalsTheWorkflowAtMostTwentyOneTimes(@TempDir Path home) {
    FoldContext ctx = new FoldContext("D", "2d", "2", home.resolve("fold_2"));
    double[] secondsPerEpoch = {Double.NaN};
    HeartbeatListener l = new HeartbeatListener(reporter, home, 2, 1000, () -> secondsPerEpoch[0], clock::get, 0,
        WorkerStop.process());
    l.onTrainingStart(ctx, new TrainingHistory());
    assertEquals(1000, beats.get(0).progress().numEpochs(), "the schedule is known before the first epoch");
    secondsPerEpoch[0] = 42.0;
    for (int e = 0; e < 1000; e++) {
      l.onEpochEnd(ctx, new EpochResult(e, 1000, 0.01, 0.5, 0.6, new double[] {0.3}, 0.3, 0.3, false, 42, 1, 0),
          new TrainingHistory());
    }
    assertEquals(1001, beats.size(), "a heartbeat per epoch");
    assertEquals(ProgressSignals.PER_FOLD + 1, progress.size(), "the first epoch and every 5 %");
    assertEquals(1, progress.get(0).epoch());
    assertEquals(1000, progress.get(progress.size() - 1).epoch(), "the last epoch is always signalled");
    FoldProgress live = beats.get(beats.size() - 1).progress();
    assertEquals(1000, live.epoch());
    assertEquals(42.0, live.secondsPerEpoch(), "the heartbeat carries the epoch time");
  }

  @Test
  void aResumedFoldSignalsItsFirstEpochHereThenOnlyTheStepsItCrosses(@TempDir Path home) {
    FoldContext ctx = new FoldContext("D", "2d", "0", home.resolve("fold_0"));
    TrainingHistory resumed = new TrainingHistory();
    for (int e = 0; e < 990; e++) {
      resumed.add(new EpochResult(e, 1000, 0.01, 0.5, 0.6, new double[] {0.3}, 0.3, 0.3, false, 42, 1, 0));
    }
    HeartbeatListener l = new HeartbeatListener(reporter, home, 0, 1000, () -> 42.0, clock::get, 0,
        WorkerStop.process());
    l.onTrainingStart(ctx, resumed);
    for (int e = 990; e < 1000; e++) {
      l.onEpochEnd(ctx, new EpochResult(e, 1000, 0.01, 0.5, 0.6, new double[] {0.3}, 0.3, 0.3, false, 42, 1, 0),
          resumed);
    }
    assertEquals(List.of(991, 1000), progress.stream().map(FoldProgress::epoch).toList());
  }

  /** The heartbeat without its progress figures. */
  private static FoldHeartbeat figures(FoldHeartbeat h) {
    return new FoldHeartbeat(h.epoch(), h.checkpoint(), h.bestEma());
  }

  private static EpochResult epoch(int epoch, double ema, boolean best) {
    return new EpochResult(epoch, 3, 0.01, 0.5, 0.6, new double[] {0.3}, 0.3, ema, best, 1.0, 5, 0);
  }
}
