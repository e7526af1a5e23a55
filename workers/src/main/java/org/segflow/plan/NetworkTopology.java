package org.segflow.plan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.segflow.InvalidInputException;

/**
 * nnU-Net's {@code get_pool_and_conv_props}: how often each axis is pooled,
 * the per-stage strides and conv kernel sizes, and the patch padded up to a multiple of
 * 2^pools per axis. Works for any number of axes; the planner calls it with (y, x).
 *
 * @param numPoolPerAxis   pooling operations per axis
 * @param strides          per stage; stage 0 is all ones
 * @param kernelSizes      per stage, the last one (bottleneck) all threes
 * @param patchSize        the input patch rounded up to {@code mustBeDivisibleBy}
 * @param mustBeDivisibleBy 2^numPoolPerAxis
 */
public record NetworkTopology(
    List<Integer> numPoolPerAxis,
    List<List<Integer>> strides,
    List<List<Integer>> kernelSizes,
    List<Integer> patchSize,
    List<Integer> mustBeDivisibleBy) {

  /** nnU-Net's {@code UNet_featuremap_min_edge_length}. */
  public static final int MIN_FEATURE_MAP_SIZE = 4;
  /** nnU-Net passes 999999, i.e. no limit. */
  public static final int MAX_NUM_POOL = 999999;

  public int numStages() {
    return strides.size();
  }

  public int[] patchSizeArray() {
    return patchSize.stream().mapToInt(Integer::intValue).toArray();
  }

  /** With nnU-Net's planner constants (min edge 4, unlimited pooling). */
  public static NetworkTopology compute(double[] spacing, double[] patchSize) {
    return compute(spacing, patchSize, MIN_FEATURE_MAP_SIZE, MAX_NUM_POOL);
  }

  /**
   * Sizes are doubles because nnU-Net may pass a float median (e.g. 584.5) as the patch; like
   * numpy, halving rounds up ({@code np.ceil(size / 2)}) and the result is truncated to int only
   * in the final padding.
   */
  public static NetworkTopology compute(double[] spacing, double[] patchSize, int minFeatureMapSize,
      int maxNumPool) {
    int dim = spacing.length;
    if (patchSize.length != dim) {
      throw new IllegalArgumentException("spacing has " + dim + " axes, patch " + patchSize.length);
    }
    double[] currentSpacing = spacing.clone();
    double[] currentSize = patchSize.clone();
    int[] numPool = new int[dim];
    int[] kernel = new int[dim];
    Arrays.fill(kernel, 1);
    List<List<Integer>> strides = new ArrayList<>();
    List<List<Integer>> kernels = new ArrayList<>();
    strides.add(repeat(1, dim));

    while (true) {
      List<Integer> valid = new ArrayList<>();
      for (int i = 0; i < dim; i++) {
        if (currentSize[i] >= 2 * minFeatureMapSize) {
          valid.add(i);
        }
      }
      if (valid.isEmpty()) {
        break;
      }
      // spacings of the size-valid axes, kept unfiltered: nnU-Net indexes this list by axis below
      double[] spacingsOfAxes = valid.stream().mapToDouble(i -> currentSpacing[i]).toArray();
      double minValidSpacing = min(spacingsOfAxes);
      valid.removeIf(i -> !(currentSpacing[i] / minValidSpacing < 2) || numPool[i] >= maxNumPool);
      if (valid.size() == 1 && currentSize[valid.get(0)] < 3 * minFeatureMapSize) {
        break;
      }
      if (valid.isEmpty()) {
        break;
      }
      double minSpacing = min(currentSpacing);
      for (int d = 0; d < dim; d++) {
        if (kernel[d] == 3) {
          continue;
        }
        // nnU-Net reads spacings_of_axes[d] (a list over valid axes, not over all axes) and raises
        // IndexError when fewer axes are valid than d; that only happens for an axis below
        // 2 * min edge length while another axis is still poolable.
        if (d >= spacingsOfAxes.length) {
          throw new InvalidInputException("patch " + Arrays.toString(patchSize)
              + " has an axis shorter than " + 2 * minFeatureMapSize
              + " pixels; nnU-Net's planner cannot plan such images (it fails with IndexError)");
        }
        if (spacingsOfAxes[d] / minSpacing < 2) {
          kernel[d] = 3;
        }
      }
      List<Integer> stride = new ArrayList<>(dim);
      for (int i = 0; i < dim; i++) {
        if (valid.contains(i)) {
          stride.add(2);
          numPool[i]++;
          currentSpacing[i] *= 2;
          currentSize[i] = Math.ceil(currentSize[i] / 2);
        } else {
          stride.add(1);
        }
      }
      strides.add(List.copyOf(stride));
      kernels.add(toList(kernel));
    }
    kernels.add(repeat(3, dim));

    int[] divisible = new int[dim];
    for (int i = 0; i < dim; i++) {
      if (numPool[i] > 30) {
        throw new IllegalArgumentException("more than 30 poolings on axis " + i);
      }
      divisible[i] = 1 << numPool[i];
    }
    return new NetworkTopology(toList(numPool), List.copyOf(strides), List.copyOf(kernels),
        toList(padShape(patchSize, divisible)), toList(divisible));
  }

  /**
   * nnU-Net's {@code pad_shape}: each axis rounded up to a multiple of its divisor (an exact
   * multiple stays), computed in floating point as numpy does and then truncated to int.
   */
  public static int[] padShape(double[] shape, int[] mustBeDivisibleBy) {
    int[] padded = new int[shape.length];
    for (int i = 0; i < shape.length; i++) {
      double remainder = shape[i] % mustBeDivisibleBy[i]; // sizes are positive: same as Python's %
      double p = shape[i] + mustBeDivisibleBy[i] - remainder;
      if (remainder == 0) {
        p -= mustBeDivisibleBy[i];
      }
      padded[i] = (int) p;
    }
    return padded;
  }

  private static double min(double[] values) {
    double m = Double.POSITIVE_INFINITY;
    for (double v : values) {
      m = Math.min(m, v);
    }
    return m;
  }

  private static List<Integer> repeat(int value, int n) {
    return List.copyOf(Collections.nCopies(n, value));
  }

  private static List<Integer> toList(int[] values) {
    return Arrays.stream(values).boxed().toList();
  }
}
