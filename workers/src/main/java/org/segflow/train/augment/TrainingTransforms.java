package org.segflow.train.augment;

import java.util.ArrayList;
import java.util.List;

/**
 * nnU-Net's 2D {@code get_training_transforms} and {@code get_validation_transforms} (no regions,
 * no cascade, no dummy 2D), in upstream order with upstream probabilities.
 */
public final class TrainingTransforms {

  private TrainingTransforms() {}

  /**
   * @param patchSize the network patch (y, x); the input crop is larger (see {@link InitialPatchSize})
   * @param mirrorAxes the axes to mirror, (0, 1) by default; empty for none
   * @param useMaskForNorm per channel, from the plans; any true adds the image masking step
   * @param dsScales deep-supervision scales, highest resolution first (see {@link
   *     DeepSupervisionScales}); null without deep supervision (the labels are the only target)
   */
  public static TransformPipeline forTraining(
      int[] patchSize, int[] mirrorAxes, boolean[] useMaskForNorm, double[][] dsScales) {
    List<Transform> t = new ArrayList<>();
    t.add(new SpatialTransform(patchSize[0], patchSize[1], InitialPatchSize.maxRotation(patchSize)));
    t.add(new RandomlyApplied(new GaussianNoise(), 0.1));
    t.add(new RandomlyApplied(new GaussianBlur(), 0.2));
    t.add(new RandomlyApplied(new MultiplicativeBrightness(), 0.15));
    t.add(new RandomlyApplied(new ContrastAugmentation(), 0.15));
    t.add(new RandomlyApplied(new SimulateLowResolution(), 0.25));
    t.add(new RandomlyApplied(new GammaAugmentation(true), 0.1));
    t.add(new RandomlyApplied(new GammaAugmentation(false), 0.3));
    if (mirrorAxes.length > 0) {
      t.add(new Mirror(mirrorAxes));
    }
    if (anyTrue(useMaskForNorm)) {
      t.add(new MaskImage());
    }
    t.add(RemoveLabel.outsideToBackground());
    if (dsScales != null) {
      t.add(new DownsampleSegForDeepSupervision(dsScales));
    }
    return new TransformPipeline(t);
  }

  /** Validation patches are only relabelled (-1 -> 0) and downsampled for deep supervision. */
  public static TransformPipeline forValidation(double[][] dsScales) {
    List<Transform> t = new ArrayList<>();
    t.add(RemoveLabel.outsideToBackground());
    if (dsScales != null) {
      t.add(new DownsampleSegForDeepSupervision(dsScales));
    }
    return new TransformPipeline(t);
  }

  private static boolean anyTrue(boolean[] flags) {
    for (boolean f : flags) {
      if (f) {
        return true;
      }
    }
    return false;
  }
}
