package org.segflow.train.augment;

import java.util.random.RandomGenerator;

/**
 * nnU-Net's BGContrast factor sampler: with probability 0.5 (and only when the range reaches
 * below 1) a factor in U(low, 1), otherwise in U(max(low, 1), high), so that shrinking and
 * growing are equally likely even though the range is not symmetric around 1.
 */
public record BgContrast(double low, double high) {

  public BgContrast {
    if (!(low <= high)) {
      throw new IllegalArgumentException("BGContrast range must be low <= high: " + low + ", " + high);
    }
  }

  public double sample(RandomGenerator rng) {
    // numpy draws the coin first and then tests the range, so the coin is always consumed
    boolean below = rng.nextDouble() < 0.5;
    if (below && low < 1) {
      return Uniform.draw(rng, low, 1);
    }
    return Uniform.draw(rng, Math.max(low, 1), high);
  }
}
