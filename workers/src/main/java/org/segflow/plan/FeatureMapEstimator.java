package org.segflow.plan;

import java.util.ArrayList;
import java.util.List;

/**
 * nnU-Net's VRAM proxy: PlainConvUNet's {@code compute_conv_feature_map_size},
 * the number of feature-map elements the convolutions write for one sample, for the network built
 * as the planner builds it (no deep supervision). Input channels do not enter: only conv outputs
 * are counted.
 */
public final class FeatureMapEstimator {

  private FeatureMapEstimator() {}

  /** {@code min(maxFeatures, 32 * 2^i)} for each stage. */
  public static List<Integer> featuresPerStage(int numStages, int maxFeatures) {
    List<Integer> features = new ArrayList<>(numStages);
    for (int i = 0; i < numStages; i++) {
      long f = (long) ExperimentPlanner.BASE_NUM_FEATURES << Math.min(i, 40);
      features.add((int) Math.min(maxFeatures, f));
    }
    return List.copyOf(features);
  }

  /** For the planner's arch kwargs. */
  public static long estimate(List<Integer> patchSize, ArchKwargs arch, int numClasses) {
    return estimate(patchSize, arch.strides(), arch.featuresPerStage(), arch.nConvPerStage(),
        arch.nConvPerStageDecoder(), numClasses);
  }

  /**
   * Encoder stage s at size_s = size_{s-1} // stride_s adds n_conv_s · F_s · prod(size_s). Decoder
   * stage at skip level k (from the deepest skip up) adds n_conv_dec · F_k · prod(size_k) for its
   * convs, F_k · prod(size_k) for the transposed conv, and at the full-resolution stage
   * numClasses · prod(size_0) for the segmentation layer. Integer floor division as in the Python
   * ({@code //}, sizes are positive); the sum is int64 as numpy's.
   */
  public static long estimate(List<Integer> patchSize, List<List<Integer>> strides,
      List<Integer> features, List<Integer> nConvEncoder, List<Integer> nConvDecoder, int numClasses) {
    int n = strides.size();
    if (features.size() != n || nConvEncoder.size() != n || nConvDecoder.size() != n - 1) {
      throw new IllegalArgumentException("stage lists disagree: " + n + " strides, " + features.size()
          + " features, " + nConvEncoder.size() + " encoder and " + nConvDecoder.size()
          + " decoder conv counts");
    }
    // sizes[s] = the feature-map size after stage s's stride; the decoder's skips are sizes[0..n-2]
    long[] voxels = new long[n];
    int[] size = patchSize.stream().mapToInt(Integer::intValue).toArray();
    for (int s = 0; s < n; s++) {
      List<Integer> stride = strides.get(s);
      long prod = 1;
      for (int a = 0; a < size.length; a++) {
        size[a] = Math.floorDiv(size[a], stride.get(a));
        prod *= size[a];
      }
      voxels[s] = prod;
    }
    long total = 0;
    for (int s = 0; s < n; s++) {
      total += (long) nConvEncoder.get(s) * features.get(s) * voxels[s];
    }
    for (int k = n - 2, stage = 0; k >= 0; k--, stage++) {
      total += (long) nConvDecoder.get(stage) * features.get(k) * voxels[k];
      total += (long) features.get(k) * voxels[k];
      if (k == 0) {
        total += (long) numClasses * voxels[0];
      }
    }
    return total;
  }
}
