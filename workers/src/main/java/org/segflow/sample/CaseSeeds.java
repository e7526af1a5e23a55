package org.segflow.sample;

import java.util.SplittableRandom;

/**
 * Derives an independent random stream per case from (seed, split, index), so a case does not
 * depend on which other cases are generated, in which order or on how many threads.
 */
final class CaseSeeds {

  private CaseSeeds() {}

  static SplittableRandom forCase(long seed, SampleSplit split, int index) {
    long h = mix(seed ^ 0x5EF1_0F00_D5A3_91E5L);
    h = mix(h + 0x9E37_79B9_7F4A_7C15L * (split.ordinal() + 1));
    h = mix(h + 0xC2B2_AE3D_27D4_EB4FL * (index + 1L));
    return new SplittableRandom(h);
  }

  /** SplitMix64's finaliser: a bijective avalanche mix. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
    return z ^ (z >>> 31);
  }
}
