package org.segflow.train.augment;

import java.util.List;
import java.util.random.RandomGenerator;

/** Transforms applied one after the other (batchgeneratorsv2's ComposeTransforms). */
public record TransformPipeline(List<Transform> transforms) implements Transform {

  public TransformPipeline {
    transforms = List.copyOf(transforms);
  }

  @Override
  public void apply(Sample sample, RandomGenerator rng) {
    for (Transform t : transforms) {
      t.apply(sample, rng);
    }
  }
}
