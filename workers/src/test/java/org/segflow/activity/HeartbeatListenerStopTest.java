package org.segflow.activity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segflow.contract.FoldHeartbeat;
import org.segflow.contract.FoldProgress;
import org.segflow.train.Checkpoint;
import org.segflow.train.EpochResult;
import org.segflow.train.FoldContext;
import org.segflow.train.TrainingHistory;

/** A stopping worker ends a fold on a whole, checkpointed epoch with a retryable WorkerStopping failure. */
class HeartbeatListenerStopTest {

  private final List<FoldHeartbeat> beats = new ArrayList<>();
  private final List<FoldProgress> progress = new ArrayList<>();
  private final WorkerStop stop = new WorkerStop();

  private final FoldReporter reporter = new FoldReporter() {
    @Override
    public void heartbeat(FoldHeartbeat details) {
      beats.add(details);
    }

    @Override
    public void progress(FoldProgress p) {
      progress.add(p);
    }
  };

  @Test
  void aStopSeenWithinAnEpochEndsTheFoldAfterItsCheckpointWithARetryableFailure(@TempDir Path home)
      throws Exception {
    Path foldDir = Files.createDirectories(home.resolve("results/D/T/fold_0"));
    FoldContext ctx = new FoldContext("D", "2d", "0", foldDir);
    HeartbeatListener l = new HeartbeatListener(reporter, home, 0, () -> 0L, 0, stop);
    l.onTrainingStart(ctx, new TrainingHistory());
    l.onIteration(ctx, 0, 1, 3);
    stop.begin();
    l.onIteration(ctx, 0, 2, 3);
    assertEquals(3, beats.size(), "heartbeats go on while the worker stops");

    Files.write(foldDir.resolve(Checkpoint.LATEST), new byte[] {1});
    ApplicationFailure f = assertThrows(ApplicationFailure.class,
        () -> l.onEpochEnd(ctx, epoch(0, 3), new TrainingHistory()));
    assertEquals(WorkerStop.FAILURE_TYPE, f.getType());
    assertFalse(f.isNonRetryable(), "the fold is retried on another worker");
    assertTrue(f.getOriginalMessage().contains("stopped after epoch 1 (checkpoint "
        + "results/D/T/fold_0/checkpoint_latest.zip)"), f.getOriginalMessage());
    assertEquals(1, progress.size(), "the finished epoch is still reported");
    FoldHeartbeat last = beats.get(beats.size() - 1);
    assertEquals(new FoldHeartbeat(1, "results/D/T/fold_0/checkpoint_latest.zip", 0.4),
        new FoldHeartbeat(last.epoch(), last.checkpoint(), last.bestEma()),
        "the last heartbeat names the checkpoint the retry resumes from");
    assertEquals(progress.get(0), last.progress(), "and carries the epoch's figures");
  }

  @Test
  void aStopDuringTheLastEpochLetsTheFoldFinish(@TempDir Path home) {
    FoldContext ctx = new FoldContext("D", "2d", "0", home.resolve("fold_0"));
    HeartbeatListener l = new HeartbeatListener(reporter, home, 0, () -> 0L, 0, stop);
    l.onTrainingStart(ctx, new TrainingHistory());
    stop.begin();
    l.onEpochEnd(ctx, epoch(2, 3), new TrainingHistory());
    assertEquals(3, progress.get(0).epoch(), "the last epoch ends normally: final checkpoint and validation follow");
  }

  @Test
  void aFoldHandedToAStoppingWorkerGivesItBackBeforeAnyEpoch(@TempDir Path home) {
    FoldContext ctx = new FoldContext("D", "2d", "1", home.resolve("fold_1"));
    stop.begin();
    HeartbeatListener l = new HeartbeatListener(reporter, home, 1, () -> 0L, 0, stop);
    ApplicationFailure f = assertThrows(ApplicationFailure.class, () -> l.onTrainingStart(ctx, new TrainingHistory()));
    assertEquals(WorkerStop.FAILURE_TYPE, f.getType());
    assertFalse(f.isNonRetryable());
  }

  @Test
  void aWorkerNotStoppingLeavesFoldsAlone(@TempDir Path home) {
    FoldContext ctx = new FoldContext("D", "2d", "0", home.resolve("fold_0"));
    HeartbeatListener l = new HeartbeatListener(reporter, home, 0, () -> 0L, 0, stop);
    l.onTrainingStart(ctx, new TrainingHistory());
    l.onEpochEnd(ctx, epoch(0, 3), new TrainingHistory());
    l.onEpochEnd(ctx, epoch(1, 3), new TrainingHistory());
    assertEquals(2, progress.size());
  }

  private static EpochResult epoch(int epoch, int epochs) {
    return new EpochResult(epoch, epochs, 0.01, 0.5, 0.6, new double[] {0.3}, 0.3, 0.4, true, 1.0, 5, 0);
  }
}
