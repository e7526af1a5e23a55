package org.segflow.train.augment;

import java.util.random.RandomGenerator;

/** numpy's {@code uniform(low, high)}: {@code low + (high - low) * U[0, 1)}, valid for low == high. */
final class Uniform {

  private Uniform() {}

  static double draw(RandomGenerator rng, double low, double high) {
    return low + (high - low) * rng.nextDouble();
  }
}
