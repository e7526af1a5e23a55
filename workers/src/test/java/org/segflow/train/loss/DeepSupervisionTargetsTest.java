package org.segflow.train.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class DeepSupervisionTargetsTest {

  @Test
  void nearestExactPicksTheCentreOfEachBlock() {
    try (NDManager manager = NDManager.newBaseManager()) {
      // labels[y][x] = 10y + x on 8x8
      long[] v = new long[64];
      for (int i = 0; i < 64; i++) {
        v[i] = 10L * (i / 8) + i % 8;
      }
      NDArray labels = manager.create(v, new Shape(1, 8, 8));
      NDList out = DeepSupervisionTargets.downsample(labels,
          new int[][] {{1, 1}, {2, 2}, {4, 4}});
      assertArrayEquals(v, out.get(0).toLongArray());
      assertEquals(new Shape(1, 4, 4), out.get(1).getShape());
      // factor 2 -> rows/cols 1, 3, 5, 7; factor 4 -> 2, 6 (torch nearest-exact)
      assertArrayEquals(new long[] {11, 13, 15, 17, 31, 33, 35, 37, 51, 53, 55, 57, 71, 73, 75, 77},
          out.get(1).toLongArray());
      assertArrayEquals(new long[] {22, 26, 62, 66}, out.get(2).toLongArray());
    }
  }

  @Test
  void oddSizesRoundHalfToEvenLikePython() {
    // 3 rows / 2 = 1.5 -> 2 rows, sources floor((d + 0.5)·1.5) = 0, 2 (torch nearest-exact).
    assertArrayEquals(new long[] {0, 2}, DeepSupervisionTargets.sourceIndices(3, 2));
    // 5 / 2 = 2.5 -> round half to even = 2, scale 2.5 -> 1, 3
    try (NDManager manager = NDManager.newBaseManager()) {
      NDList out = DeepSupervisionTargets.downsample(manager.zeros(new Shape(2, 5, 3)),
          new int[][] {{2, 2}});
      assertEquals(new Shape(2, 2, 2), out.get(0).getShape());
    }
    assertArrayEquals(new long[] {1, 3}, DeepSupervisionTargets.sourceIndices(5, 2));
  }
}
