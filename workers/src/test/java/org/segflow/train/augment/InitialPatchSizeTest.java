package org.segflow.train.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class InitialPatchSizeTest {

  @Test
  void specExamples() {
    assertArrayEquals(new int[] {602, 602}, InitialPatchSize.of(new int[] {512, 512}));
    assertArrayEquals(new int[] {1807, 1807}, InitialPatchSize.of(new int[] {1024, 1536}));
  }

  @Test
  void matchesGetPatchSizeForOtherPatches() {
    // reference values from nnU-Net's get_patch_size re-run with numpy
    assertArrayEquals(new int[] {752, 752}, InitialPatchSize.of(new int[] {640, 640}));
    assertArrayEquals(new int[] {150, 150}, InitialPatchSize.of(new int[] {128, 128}));
    // ratio > 1.5: +-15 degrees, the rotated corner vector (not the rotated bounding box)
    assertArrayEquals(new int[] {893, 1204}, InitialPatchSize.of(new int[] {512, 1024}));
    assertArrayEquals(new int[] {1319, 602}, InitialPatchSize.of(new int[] {1024, 512}));
    assertArrayEquals(new int[] {159, 177}, InitialPatchSize.of(new int[] {100, 151}));
    assertArrayEquals(new int[] {133, 235}, InitialPatchSize.of(new int[] {64, 200}));
  }

  @Test
  void rotationRangeShrinksOnlyAboveRatioOnePointFive() {
    assertEquals(Math.PI, InitialPatchSize.maxRotation(new int[] {1024, 1536}), 1e-12);
    assertEquals(Math.PI / 12, InitialPatchSize.maxRotation(new int[] {100, 151}), 1e-12);
    assertEquals(Math.PI, InitialPatchSize.maxRotation(new int[] {640, 640}), 1e-12);
  }

  @Test
  void rejectsNon2dPatches() {
    assertThrows(IllegalArgumentException.class, () -> InitialPatchSize.of(new int[] {1, 2, 3}));
  }
}
