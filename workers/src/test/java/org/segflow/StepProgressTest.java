package org.segflow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A line per tenth of the cases at most, never more often than every few seconds, and a last one. */
class StepProgressTest {

  @Test
  void aLongStepSaysHowFarItIsAndWhatIsLeftThenThatItIsDone() {
    AtomicLong clock = new AtomicLong();
    List<String> lines = new ArrayList<>();
    StepProgress p = new StepProgress("preprocess", 500, lines::add, clock::get);
    for (int i = 0; i < 500; i++) {
      clock.addAndGet(800_000_000L); // 0.8 s per case
      p.caseDone();
    }
    assertEquals(10, lines.size(), lines.toString());
    assertEquals("preprocess: 50/500 cases, 0.80 s per case, 6.0 min left", lines.get(0));
    assertEquals("preprocess: 500/500 cases in 6.7 min", lines.get(9));
  }

  @Test
  void aQuickStepSaysOnlyThatItIsDone() {
    AtomicLong clock = new AtomicLong();
    List<String> lines = new ArrayList<>();
    StepProgress p = new StepProgress("fingerprint", 20, lines::add, clock::get);
    for (int i = 0; i < 20; i++) {
      clock.addAndGet(100_000_000L);
      p.caseDone();
    }
    assertEquals(List.of("fingerprint: 20/20 cases in 2 s"), lines);
  }
}
