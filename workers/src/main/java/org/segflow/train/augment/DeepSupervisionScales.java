package org.segflow.train.augment;

import java.util.Arrays;

/**
 * nnU-Net's {@code _get_deep_supervision_scales}: {@code 1 / cumprod(strides)} per stage, without
 * the last (lowest-resolution) stage. Strides [[1,1],[2,2],[2,2]] give [[1,1],[0.5,0.5]].
 */
public final class DeepSupervisionScales {

  private DeepSupervisionScales() {}

  public static double[][] fromStrides(int[][] strides) {
    if (strides.length < 2) {
      throw new IllegalArgumentException(
          "need the strides of at least two stages, got " + Arrays.deepToString(strides));
    }
    double[][] out = new double[strides.length - 1][];
    long[] prod = new long[strides[0].length];
    Arrays.fill(prod, 1);
    for (int s = 0; s < strides.length - 1; s++) {
      if (strides[s].length != prod.length) {
        throw new IllegalArgumentException("stride rows differ in length: " + Arrays.deepToString(strides));
      }
      out[s] = new double[prod.length];
      for (int d = 0; d < prod.length; d++) {
        prod[d] *= strides[s][d];
        out[s][d] = 1.0 / prod[d];
      }
    }
    return out;
  }
}
