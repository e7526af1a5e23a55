package org.segflow.train.augment;

import java.util.random.RandomGenerator;

/**
 * Per channel, f ~ BGContrast(0.75, 1.25) and {@code x <- (x - mean) f + mean}, clamped to the
 * channel's original [min, max] (preserve_range=True).
 */
public record ContrastAugmentation(BgContrast factor) implements Transform {

  public ContrastAugmentation() {
    this(new BgContrast(0.75, 1.25));
  }

  @Override
  public void apply(Sample sample, RandomGenerator rng) {
    float[] image = sample.image();
    int plane = sample.pixels();
    for (int c = 0; c < sample.channels(); c++) {
      float f = (float) factor.sample(rng);
      int start = c * plane;
      int end = start + plane;
      double sum = 0;
      float min = Float.POSITIVE_INFINITY;
      float max = Float.NEGATIVE_INFINITY;
      for (int i = start; i < end; i++) {
        float v = image[i];
        sum += v;
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
      float mean = (float) (sum / plane);
      for (int i = start; i < end; i++) {
        float v = (image[i] - mean) * f + mean;
        image[i] = Math.min(Math.max(v, min), max);
      }
    }
  }
}
