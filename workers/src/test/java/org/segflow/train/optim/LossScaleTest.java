package org.segflow.train.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LossScaleTest {

  @Test
  void startsAtTorchsDefault() {
    assertEquals(65536f, LossScale.torchDefaults().scale());
  }

  @Test
  void aNonFiniteStepIsSkippedHalvesTheScaleAndRestartsTheCount() {
    LossScale s = new LossScale(1024f, 2f, 0.5f, 3);
    assertTrue(s.update(true));
    assertEquals(1, s.goodSteps());
    assertFalse(s.update(false));
    assertEquals(512f, s.scale());
    assertEquals(0, s.goodSteps());
    assertFalse(s.update(false));
    assertEquals(256f, s.scale());
  }

  @Test
  void growsAfterTheIntervalOfGoodStepsInARow() {
    LossScale s = new LossScale(1024f, 2f, 0.5f, 3);
    s.update(true);
    s.update(true);
    assertEquals(1024f, s.scale());
    s.update(true);
    assertEquals(2048f, s.scale());
    assertEquals(0, s.goodSteps());
  }

  @Test
  void neverGrowsToInfinity() {
    LossScale s = new LossScale(Float.MAX_VALUE, 2f, 0.5f, 1);
    s.update(true);
    assertEquals(Float.MAX_VALUE, s.scale());
  }

  @Test
  void refusesNonsense() {
    assertThrows(IllegalArgumentException.class, () -> new LossScale(0f, 2f, 0.5f, 1));
    assertThrows(IllegalArgumentException.class, () -> new LossScale(1f, 2f, 1f, 1));
  }
}
