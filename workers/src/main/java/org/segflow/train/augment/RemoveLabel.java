package org.segflow.train.augment;

import java.util.random.RandomGenerator;

/** Replaces one label by another; nnU-Net uses it to turn the outside marker -1 into background. */
public record RemoveLabel(short label, short replacement) implements Transform {

  /** -1 -> 0, as in every nnU-Net pipeline. */
  public static RemoveLabel outsideToBackground() {
    return new RemoveLabel((short) -1, (short) 0);
  }

  @Override
  public void apply(Sample sample, RandomGenerator rng) {
    short[] seg = sample.seg();
    for (int i = 0; i < seg.length; i++) {
      if (seg[i] == label) {
        seg[i] = replacement;
      }
    }
  }
}
