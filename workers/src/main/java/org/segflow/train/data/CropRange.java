package org.segflow.train.data;

import java.util.random.RandomGenerator;

/**
 * The range [lower, upper] of crop starts along one axis, from nnU-Net's {@code get_bbox}: the
 * crop may stick out of the image by half of {@code need = crop - final} on each side so that the
 * final patch also covers the border; if even that does not reach the crop size, {@code need}
 * grows to {@code crop - shape}. Python's floor division and modulo are kept
 * ({@code lower = (-need) // 2}, {@code upper = shape + need // 2 + need % 2 - crop}).
 */
public record CropRange(int lower, int upper) {

  public CropRange {
    if (upper < lower) {
      throw new IllegalArgumentException("empty crop range [" + lower + ", " + upper + "]");
    }
  }

  /**
   * @param shape the image extent along the axis
   * @param cropSize the extent of the crop (the enlarged patch when training)
   * @param finalSize the extent of the network patch
   */
  public static CropRange of(int shape, int cropSize, int finalSize) {
    int need = cropSize - finalSize;
    if (need + shape < cropSize) {
      need = cropSize - shape;
    }
    int lower = Math.floorDiv(-need, 2);
    int upper = shape + Math.floorDiv(need, 2) + Math.floorMod(need, 2) - cropSize;
    return new CropRange(lower, upper);
  }

  /** A crop start drawn uniformly from [lower, upper]. */
  public int random(RandomGenerator rng) {
    return lower == upper ? lower : rng.nextInt(lower, upper + 1);
  }

  /**
   * The start that puts {@code voxel} at the crop's centre, raised to {@code lower}; there is no
   * upper clamp, so the crop may reach past the image end (it is padded).
   */
  public int around(int voxel, int cropSize) {
    return Math.max(lower, voxel - Math.floorDiv(cropSize, 2));
  }
}
