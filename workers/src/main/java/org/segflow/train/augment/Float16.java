package org.segflow.train.augment;

/** Rounding of a float to the nearest IEEE half-precision value (ties to even), kept as a float. */
final class Float16 {

  private Float16() {}

  static float round(float v) {
    if (v == 0 || Float.isNaN(v) || Float.isInfinite(v)) {
      return v;
    }
    int exponent = Math.max(Math.getExponent(v), -14); // below 2^-14 half floats are subnormal
    float quantum = Math.scalb(1f, exponent - 10);
    return (float) (Math.rint(v / quantum) * quantum);
  }
}
