package org.segflow.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The epoch time from the first iterations, then from whole epochs; the schedule said once. */
class EpochClockTest {

  private static final long SECOND = 1_000_000_000L;
  private final AtomicLong clock = new AtomicLong();
  private final List<ScheduleCost> said = new ArrayList<>();
  private final FoldContext fold = new FoldContext("D", "2d", "0", Path.of("fold_0"));

  @Test
  void estimatesFromThreeIterationsAfterAWarmUpThenMeasuresWholeEpochs() {
    EpochClock c = new EpochClock(1000, 50, clock::get, said::add);
    c.onTrainingStart(fold, new TrainingHistory());
    clock.addAndGet(30 * SECOND); // the first iteration: engine warm-up, not counted
    c.onIteration(fold, 0, 1, 250);
    for (int it = 2; it <= 4; it++) {
      clock.addAndGet(7 * SECOND);
      c.onIteration(fold, 0, it, 250);
    }
    // 7 s per iteration x (250 + 50 validation iterations at a third each)
    assertEquals(7 * (250 + 50 / 3.0), c.secondsPerEpoch(), 1e-9);
    assertEquals(1, said.size());
    ScheduleCost cost = said.get(0);
    assertEquals(1000, cost.numEpochs());
    assertEquals(250, cost.iterations());
    assertEquals("3 iterations", cost.measuredOn());

    c.onEpochEnd(fold, epoch(0, 1900), new TrainingHistory());
    c.onEpochEnd(fold, epoch(1, 1700), new TrainingHistory());
    assertEquals(1800, c.secondsPerEpoch(), 1e-9, "the mean of the epochs run");
    assertEquals(1, said.size(), "said once");
  }

  @Test
  void epochsShorterThanTheMeasurementAreEstimatedAtTheFirstEpochEnd() {
    EpochClock c = new EpochClock(4, 2, clock::get, said::add);
    c.onTrainingStart(fold, new TrainingHistory());
    c.onIteration(fold, 0, 1, 2);
    c.onIteration(fold, 0, 2, 2);
    assertTrue(Double.isNaN(c.secondsPerEpoch()));
    c.onEpochEnd(fold, epoch(0, 3.5), new TrainingHistory());
    assertEquals(3.5, c.secondsPerEpoch());
    assertEquals("1 epoch", said.get(0).measuredOn());
    assertEquals(1, said.get(0).epochsDone());
  }

  private static EpochResult epoch(int epoch, double seconds) {
    return new EpochResult(epoch, 1000, 0.01, 0.5, 0.6, new double[] {0.3}, 0.3, 0.3, false, seconds, 1, 0);
  }
}
