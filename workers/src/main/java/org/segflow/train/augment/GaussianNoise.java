package org.segflow.train.augment;

import java.util.random.RandomGenerator;

/**
 * Adds N(0, sigma) noise to every pixel of every channel, one sigma ~ U(0, 0.1) per sample shared
 * by the channels (upstream calls it "noise_variance" but uses it as the standard deviation).
 */
public record GaussianNoise(double maxSigma) implements Transform {

  public static final double DEFAULT_MAX_SIGMA = 0.1;

  public GaussianNoise() {
    this(DEFAULT_MAX_SIGMA);
  }

  @Override
  public void apply(Sample sample, RandomGenerator rng) {
    double sigma = Uniform.draw(rng, 0, maxSigma);
    float[] image = sample.image();
    for (int i = 0; i < image.length; i++) {
      image[i] += (float) (sigma * rng.nextGaussian());
    }
  }
}
