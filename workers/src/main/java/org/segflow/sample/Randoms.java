package org.segflow.sample;

import java.util.SplittableRandom;

/**
 * Random draws built only on {@link SplittableRandom#nextLong()} and StrictMath, so the values
 * are the same on every JVM and platform.
 */
final class Randoms {

  private Randoms() {}

  static double uniform(SplittableRandom rnd, double lo, double hi) {
    return lo + (hi - lo) * unit(rnd);
  }

  /** Uniform in [0, 1) with 53 random bits. */
  static double unit(SplittableRandom rnd) {
    return (rnd.nextLong() >>> 11) * 0x1.0p-53;
  }

  static int between(SplittableRandom rnd, int lo, int hiInclusive) {
    return lo + (int) Math.floor(unit(rnd) * (hiInclusive - lo + 1));
  }

  static boolean chance(SplittableRandom rnd, double p) {
    return unit(rnd) < p;
  }

  static int sign(SplittableRandom rnd) {
    return chance(rnd, 0.5) ? 1 : -1;
  }

  /** Standard normal by Box-Muller (one of the pair is thrown away; speed does not matter here). */
  static double gaussian(SplittableRandom rnd) {
    double u1 = 1.0 - unit(rnd);
    double u2 = unit(rnd);
    return StrictMath.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2.0 * Math.PI * u2);
  }

  /** Exponential with the given mean. */
  static double exponential(SplittableRandom rnd, double mean) {
    return -mean * StrictMath.log(1.0 - unit(rnd));
  }
}
