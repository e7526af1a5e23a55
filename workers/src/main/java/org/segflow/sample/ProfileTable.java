package org.segflow.sample;

/**
 * Lookup tables for the smooth functions evaluated per pixel. They are filled with StrictMath and
 * read with plain arithmetic, so every pixel value is reproducible bit for bit on any platform
 * (Math.exp may differ in the last bit between JIT intrinsics).
 */
final class ProfileTable {

  /** Largest argument the tables cover; beyond it the functions are taken as 0. */
  static final double LIMIT = 16.0;
  private static final int SIZE = 2048;
  private static final double STEP = LIMIT / SIZE;
  private static final double INV_STEP = SIZE / LIMIT;
  private static final float[] NEG_EXP = new float[SIZE + 2];
  private static final float[] FLAT = new float[SIZE + 2];

  static {
    double ln2 = StrictMath.log(2.0);
    for (int i = 0; i < NEG_EXP.length; i++) {
      double t = i * STEP;
      NEG_EXP[i] = (float) StrictMath.exp(-t);
      FLAT[i] = (float) StrictMath.exp(-ln2 * StrictMath.pow(t, 1.5));
    }
  }

  private ProfileTable() {}

  /** e^-t for t >= 0. */
  static float negExp(double t) {
    return lookup(NEG_EXP, t);
  }

  /**
   * Flat-bottomed vessel cross-section 2^-(t^1.5) with t = (d / r)^2: 1 on the centreline, 1/2
   * at the half-width, a soft shoulder outside (wide vessels look like filled tubes, not lines).
   */
  static float flatProfile(double t) {
    return lookup(FLAT, t);
  }

  /** Hermite step from 0 at {@code e0} to 1 at {@code e1} (either order). */
  static double smoothstep(double e0, double e1, double v) {
    double t = Math.max(0, Math.min(1, (v - e0) / (e1 - e0)));
    return t * t * (3 - 2 * t);
  }

  private static float lookup(float[] table, double t) {
    if (t >= LIMIT) {
      return 0f;
    }
    double p = t * INV_STEP;
    int i = (int) p;
    float f = (float) (p - i);
    return table[i] + f * (table[i + 1] - table[i]);
  }
}
