package org.segflow.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** One seed per run, a different one per fold, the same every time. */
class TrainingSettingsTest {

  @Test
  void eachFoldOfARunGetsItsOwnReproducibleSeed() {
    TrainingSettings run = TrainingSettings.nnUNet();
    assertEquals(TrainingSettings.DEFAULT_SEED, run.forFold("0").seed(), "fold 0 keeps the run's seed");
    Set<Long> seeds = new HashSet<>();
    for (String fold : List.of("0", "1", "2", "3", "4", "all")) {
      seeds.add(run.forFold(fold).seed());
      assertEquals(run.forFold(fold).seed(), TrainingSettings.nnUNet().forFold(fold).seed(), "reproducible");
    }
    assertEquals(6, seeds.size(), "the folds of an ensemble start apart: " + seeds);
    TrainingSettings other = TrainingSettings.nnUNet().withSeed(7);
    assertEquals(false, other.forFold("1").seed() == run.forFold("1").seed(), "another run, other fold seeds");
    assertEquals(run.withResume(true).forFold("3").numEpochs(), 1000, "only the seed changes");
  }
}
