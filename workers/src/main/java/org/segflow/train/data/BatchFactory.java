package org.segflow.train.data;

import java.util.random.RandomGenerator;

/** Makes one batch from the given randomness; must be safe to call from several threads at once. */
@FunctionalInterface
public interface BatchFactory {

  Batch create(RandomGenerator rng);
}
