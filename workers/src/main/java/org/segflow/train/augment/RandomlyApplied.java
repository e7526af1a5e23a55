package org.segflow.train.augment;

import java.util.random.RandomGenerator;

/** batchgeneratorsv2's RandomTransform: runs the inner transform when {@code U(0,1) < p}. */
public record RandomlyApplied(Transform inner, double probability) implements Transform {

  public RandomlyApplied {
    if (!(probability >= 0 && probability <= 1)) {
      throw new IllegalArgumentException("probability must be in [0, 1]: " + probability);
    }
  }

  @Override
  public void apply(Sample sample, RandomGenerator rng) {
    if (rng.nextDouble() < probability) {
      inner.apply(sample, rng);
    }
  }
}
