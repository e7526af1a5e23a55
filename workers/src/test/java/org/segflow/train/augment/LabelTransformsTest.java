package org.segflow.train.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LabelTransformsTest {

  @Test
  void mirroringTwiceIsTheIdentity() {
    for (int axis = 0; axis < 2; axis++) {
      Sample s = SampleFixtures.random(2, 7, 6, 1);
      Sample before = SampleFixtures.copy(s);
      Mirror.flip(s, axis);
      assertFalse(java.util.Arrays.equals(before.image(), s.image()));
      Mirror.flip(s, axis);
      assertArrayEquals(before.image(), s.image());
      assertArrayEquals(before.seg(), s.seg());
    }
  }

  @Test
  void mirrorFlipsImageAndLabelsTogether() {
    Sample s = SampleFixtures.random(1, 5, 4, 2);
    Sample before = SampleFixtures.copy(s);
    Mirror.flip(s, 1);
    for (int y = 0; y < 5; y++) {
      for (int x = 0; x < 4; x++) {
        assertEquals(before.image()[y * 4 + 3 - x], s.image()[y * 4 + x]);
        assertEquals(before.seg()[y * 4 + 3 - x], s.seg()[y * 4 + x]);
      }
    }
    Mirror.flip(s, 1);
    Mirror.flip(s, 0);
    assertEquals(before.seg()[4 * 4 + 1], s.seg()[1]);
  }

  @Test
  void eachAxisIsMirroredHalfTheTime() {
    Mirror m = new Mirror(0, 1);
    SplittableRandom rng = new SplittableRandom(3);
    Sample reference = SampleFixtures.random(1, 4, 4, 4);
    int[] flipped = new int[2];
    for (int i = 0; i < 2000; i++) {
      Sample s = SampleFixtures.copy(reference);
      m.apply(s, rng);
      float corner = s.image()[0];
      // which corner of the reference ended up at (0, 0) tells which axes were flipped
      if (corner == reference.image()[12] || corner == reference.image()[15]) {
        flipped[0]++;
      }
      if (corner == reference.image()[3] || corner == reference.image()[15]) {
        flipped[1]++;
      }
    }
    for (int n : flipped) {
      assertTrue(Math.abs(n - 1000) < 115, "flips " + n); // sd 22.4
    }
  }

  @Test
  void maskZeroesTheImageOutsideAndRemoveLabelLeavesNoMinusOne() {
    Sample s = SampleFixtures.random(2, 6, 6, 5);
    new MaskImage().apply(s, new SplittableRandom(1));
    for (int c = 0; c < 2; c++) {
      for (int i = 0; i < 36; i++) {
        if (s.seg()[i] < 0) {
          assertEquals(0f, s.image()[c * 36 + i]);
        } else {
          assertTrue(s.image()[c * 36 + i] != 0f);
        }
      }
    }
    RemoveLabel.outsideToBackground().apply(s, new SplittableRandom(1));
    for (short v : s.seg()) {
      assertTrue(v >= 0, "label " + v);
    }
    assertEquals(0, s.seg()[0]);
  }

  @Test
  void deepSupervisionScalesComeFromTheStrides() {
    double[][] scales = DeepSupervisionScales.fromStrides(new int[][] {{1, 1}, {2, 2}, {2, 2}});
    assertEquals(2, scales.length);
    assertArrayEquals(new double[] {1, 1}, scales[0]);
    assertArrayEquals(new double[] {0.5, 0.5}, scales[1]);
    double[][] anisotropic = DeepSupervisionScales.fromStrides(new int[][] {{1, 1}, {2, 1}, {2, 2}, {2, 2}});
    assertArrayEquals(new double[] {0.25, 0.5}, anisotropic[2]);
    assertThrows(IllegalArgumentException.class, () -> DeepSupervisionScales.fromStrides(new int[][] {{1, 1}}));
  }

  @Test
  void deepSupervisionTargetsHaveTheRoundedShapes() {
    double[][] scales = {{1, 1}, {0.5, 0.5}, {0.25, 0.25}};
    Sample s = SampleFixtures.random(1, 20, 10, 6);
    new DownsampleSegForDeepSupervision(scales).apply(s, new SplittableRandom(1));
    List<SegTarget> t = s.targets();
    assertEquals(3, t.size());
    assertArrayEquals(s.seg(), t.get(0).labels());
    assertEquals(10, t.get(1).height());
    assertEquals(5, t.get(1).width());
    assertEquals(5, t.get(2).height());
    assertEquals(2, t.get(2).width()); // round(2.5) = 2, half to even
    // nearest-exact: target pixel (y, x) at scale 1/2 is source (2y + 1, 2x + 1)
    for (int y = 0; y < 10; y++) {
      for (int x = 0; x < 5; x++) {
        assertEquals(s.seg()[(2 * y + 1) * 10 + 2 * x + 1], t.get(1).labels()[y * 5 + x]);
      }
    }
    assertArrayEquals(new int[] {38, 38}, DownsampleSegForDeepSupervision.shapeAt(75, 77, new double[] {0.5, 0.5})); // 37.5 -> 38, 38.5 -> 38
  }
}
