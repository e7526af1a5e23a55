package org.segflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.segflow.contract.FoldProgress;
import org.segflow.contract.FoldState;
import org.segflow.contract.PipelineProgress;
import org.segflow.contract.PipelineStage;
import org.segflow.train.ScheduleCost;

/** The query's progress made live by the folds' heartbeats, and the time left it implies. */
class LiveProgressTest {

  private static FoldProgress fold(int fold, int epoch, FoldState state, double secondsPerEpoch) {
    return new FoldProgress(fold, epoch, 1000, 0.5, 0.6, 0.3, 0.3, 0.3, state, secondsPerEpoch);
  }

  @Test
  void aRunningFoldShowsItsHeartbeatWhenThatIsFurtherThanTheLastSignal() {
    PipelineProgress queried = new PipelineProgress(PipelineStage.TRAIN, List.of(fold(0, 50, FoldState.RUNNING, 60),
        fold(1, 1000, FoldState.DONE, 60), fold(2, 40, FoldState.RUNNING, 60)));
    PipelineProgress live = LiveProgress.merge(queried, Map.of(0, fold(0, 73, FoldState.RUNNING, 61),
        1, fold(1, 10, FoldState.RUNNING, 60), 2, fold(2, 39, FoldState.RUNNING, 60)));
    assertEquals(73, live.folds().get(0).epoch(), "the heartbeat is newer than the signal of epoch 50");
    assertEquals(61, live.folds().get(0).secondsPerEpoch());
    assertEquals(1000, live.folds().get(1).epoch(), "a finished fold keeps what the workflow knows");
    assertEquals(40, live.folds().get(2).epoch(), "a heartbeat older than the last signal is ignored");
  }

  @Test
  void timeLeftCountsTheRunningFoldsThenThePendingOnesInRoundsOverTheWorkersSeen() {
    PipelineProgress p = new PipelineProgress(PipelineStage.TRAIN, List.of(fold(0, 900, FoldState.RUNNING, 60),
        fold(1, 500, FoldState.RUNNING, 60), fold(2, 0, FoldState.PENDING, Double.NaN),
        fold(3, 0, FoldState.PENDING, Double.NaN), fold(4, 0, FoldState.PENDING, Double.NaN)));
    // fold 1 has 500 epochs left; then 3 pending folds on 2 workers: 2 rounds of 1000 epochs
    assertEquals((500 + 2 * 1000) * 60.0, LiveProgress.remainingSeconds(p), 1e-9);
    assertTrue(StatusCommand.table("pipeline-x", p).contains("time left for the folds: about 1.7 d"),
        StatusCommand.table("pipeline-x", p));
  }

  @Test
  void theScheduleCostAppearsOnceAFoldKnowsItsEpochTime() {
    PipelineProgress before = new PipelineProgress(PipelineStage.TRAIN, List.of(fold(0, 0, FoldState.RUNNING, Double.NaN),
        fold(1, 1000, FoldState.DONE, Double.NaN), fold(2, 0, FoldState.PENDING, Double.NaN)));
    assertTrue(LiveProgress.cost(before, 250).isEmpty());
    assertTrue(Double.isNaN(LiveProgress.remainingSeconds(before)));

    PipelineProgress measured = new PipelineProgress(PipelineStage.TRAIN, List.of(fold(0, 0, FoldState.RUNNING, 1800),
        fold(1, 1000, FoldState.DONE, Double.NaN), fold(2, 0, FoldState.PENDING, Double.NaN)));
    ScheduleCost cost = LiveProgress.cost(measured, 250).orElseThrow();
    assertEquals(2, cost.folds(), "the cached fold costs nothing");
    assertEquals(1, cost.workers());
    assertEquals(2 * 1000 * 1800.0, cost.totalSeconds(), 1e-9);
    assertTrue(cost.describe().contains("x 2 folds on 1 gpu worker: about 41.7 d"), cost.describe());
  }
}
