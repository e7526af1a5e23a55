package org.segflow.train.augment;

import java.util.random.RandomGenerator;

/**
 * batchgeneratorsv2's GammaTransform with p_retain_stats 1, per channel: gamma ~ BGContrast(0.7,
 * 1.5); optionally negate the channel; {@code x <- ((x - min) / max(range, 1e-7))^gamma * range +
 * min}; shift and scale back to the mean and (unbiased) standard deviation the channel had before
 * the gamma step (eps 1e-7); negate back.
 */
public record GammaAugmentation(boolean invertImage, BgContrast gamma) implements Transform {

  static final double EPS = 1e-7;

  public GammaAugmentation(boolean invertImage) {
    this(invertImage, new BgContrast(0.7, 1.5));
  }

  @Override
  public void apply(Sample sample, RandomGenerator rng) {
    float[] image = sample.image();
    int plane = sample.pixels();
    for (int c = 0; c < sample.channels(); c++) {
      applyToPlane(image, c * plane, plane, gamma.sample(rng), invertImage);
    }
  }

  static void applyToPlane(float[] image, int start, int n, double g, boolean invert) {
    int end = start + n;
    if (invert) {
      negate(image, start, end);
    }
    double[] before = meanStd(image, start, end);
    float min = Float.POSITIVE_INFINITY;
    float max = Float.NEGATIVE_INFINITY;
    for (int i = start; i < end; i++) {
      min = Math.min(min, image[i]);
      max = Math.max(max, image[i]);
    }
    float range = max - min;
    double denom = Math.max(range, EPS);
    for (int i = start; i < end; i++) {
      image[i] = (float) (Math.pow((image[i] - min) / denom, g) * range + min);
    }
    double[] after = meanStd(image, start, end);
    double factor = before[1] / Math.max(after[1], EPS);
    for (int i = start; i < end; i++) {
      image[i] = (float) ((image[i] - after[0]) * factor + before[0]);
    }
    if (invert) {
      negate(image, start, end);
    }
  }

  private static void negate(float[] image, int start, int end) {
    for (int i = start; i < end; i++) {
      image[i] = -image[i];
    }
  }

  /** Mean and unbiased standard deviation (torch.std's default), two-pass in double. */
  static double[] meanStd(float[] v, int start, int end) {
    int n = end - start;
    double sum = 0;
    for (int i = start; i < end; i++) {
      sum += v[i];
    }
    double mean = sum / n;
    double ss = 0;
    for (int i = start; i < end; i++) {
      double d = v[i] - mean;
      ss += d * d;
    }
    // torch gives NaN for a single pixel; 0 keeps such a degenerate patch finite
    double std = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
    return new double[] {mean, std};
  }
}
