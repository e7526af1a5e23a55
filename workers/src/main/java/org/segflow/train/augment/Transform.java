package org.segflow.train.augment;

import java.util.random.RandomGenerator;

/**
 * One step of the per-sample augmentation pipeline (batchgeneratorsv2's BasicTransform). All
 * randomness comes from the generator passed in, so a seeded generator reproduces a sample
 * exactly. Implementations hold only configuration and are safe to share between threads.
 */
@FunctionalInterface
public interface Transform {

  void apply(Sample sample, RandomGenerator rng);
}
