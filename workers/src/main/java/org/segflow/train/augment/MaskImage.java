package org.segflow.train.augment;

import java.util.random.RandomGenerator;

/**
 * Sets the image to 0 wherever the label is negative (outside the nonzero region or padded), in
 * every channel as batchgeneratorsv2's MaskImageTransform does. nnU-Net adds it only when some
 * channel was normalized with use_mask_for_norm.
 */
public final class MaskImage implements Transform {

  @Override
  public void apply(Sample sample, RandomGenerator rng) {
    short[] seg = sample.seg();
    float[] image = sample.image();
    int plane = sample.pixels();
    for (int c = 0; c < sample.channels(); c++) {
      int base = c * plane;
      for (int i = 0; i < plane; i++) {
        if (seg[i] < 0) {
          image[base + i] = 0;
        }
      }
    }
  }
}
