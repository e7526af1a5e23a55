package org.segflow.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Expected positions were printed by nnU-Net's compute_steps_for_sliding_window (numpy 2.4). */
class SlidingWindowGeometryTest {

  @Test
  void stepsMatchNnUnet() {
    assertArrayEquals(new int[] {0, 72}, SlidingWindowGeometry.steps(584, 512, 0.5));
    assertArrayEquals(new int[] {0, 53}, SlidingWindowGeometry.steps(565, 512, 0.5));
    assertArrayEquals(new int[] {0, 180, 360}, SlidingWindowGeometry.steps(1000, 640, 0.5));
    assertArrayEquals(new int[] {0, 23, 46}, SlidingWindowGeometry.steps(110, 64, 0.5));
    assertArrayEquals(new int[] {0}, SlidingWindowGeometry.steps(512, 512, 0.5));
    assertArrayEquals(new int[] {0, 360}, SlidingWindowGeometry.steps(1000, 640, 1.0));
    assertArrayEquals(new int[] {0, 120, 240, 360}, SlidingWindowGeometry.steps(1000, 640, 0.25));
    assertArrayEquals(new int[] {0, 456, 912, 1368, 1824}, SlidingWindowGeometry.steps(2848, 1024, 0.5));
    assertArrayEquals(new int[] {0, 688, 1376, 2064, 2752}, SlidingWindowGeometry.steps(4288, 1536, 0.5));
  }

  @Test
  void positionsRoundHalfToEven() {
    // 17 / 6 * 3 = 8.5 rounds to 8 (numpy), not 9 (Math.round)
    assertArrayEquals(new int[] {0, 3, 6, 8, 11, 14, 17}, SlidingWindowGeometry.steps(23, 6, 0.5));
    // 5 / 2 = 2.5 rounds to 2
    assertArrayEquals(new int[] {0, 2, 5}, SlidingWindowGeometry.steps(11, 6, 0.5));
  }

  @Test
  void driveSizedImageNeedsNoPadding() {
    SlidingWindowGeometry g = SlidingWindowGeometry.of(584, 565, 512, 512, 0.5);
    assertFalse(g.isPadded());
    assertArrayEquals(new int[] {0, 72}, g.tileYs());
    assertArrayEquals(new int[] {0, 53}, g.tileXs());
    assertEquals(4, g.tileCount());
    float[] img = new float[584 * 565];
    assertSame(img, g.pad(img, 1));
  }

  @Test
  void smallImageIsPaddedFloorBeforeCeilAfter() {
    SlidingWindowGeometry g = SlidingWindowGeometry.of(5, 4, 8, 7, 0.5);
    assertEquals(8, g.paddedHeight());
    assertEquals(7, g.paddedWidth());
    assertEquals(1, g.padTop()); // 3 rows: 1 before, 2 after
    assertEquals(1, g.padLeft()); // 3 columns: 1 before, 2 after
    assertArrayEquals(new int[] {0}, g.tileYs());
    float[] img = new float[2 * 5 * 4];
    for (int i = 0; i < img.length; i++) {
      img[i] = i + 1;
    }
    float[] padded = g.pad(img, 2);
    assertEquals(2 * 8 * 7, padded.length);
    assertEquals(1f, padded[1 * 7 + 1]); // channel 0, first image pixel at (1, 1)
    assertEquals(0f, padded[1 * 7]);
    assertEquals(0f, padded[6 * 7 + 1]); // row 6 is the second row of bottom padding
    assertEquals(21f, padded[56 + 1 * 7 + 1]); // channel 1 starts at value 21
    assertEquals(0f, padded[1 * 7 + 5]); // columns 5 and 6 are right padding
    assertArrayEquals(img, g.unpad(padded, 2));
  }

  @Test
  void oddPaddingDifferencePutsTheExtraRowAfter() {
    SlidingWindowGeometry g = SlidingWindowGeometry.of(300, 301, 512, 512, 0.5);
    assertEquals(106, g.padTop());
    assertEquals(105, g.padLeft());
  }

  @Test
  void rejectsBadStepSizes() {
    assertThrows(IllegalArgumentException.class, () -> SlidingWindowGeometry.steps(600, 512, 0));
    assertThrows(IllegalArgumentException.class, () -> SlidingWindowGeometry.steps(600, 512, 1.5));
    assertThrows(IllegalArgumentException.class, () -> SlidingWindowGeometry.steps(500, 512, 0.5));
  }
}
