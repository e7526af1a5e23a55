package org.segflow.io;

/**
 * IEEE 754 half precision, round to nearest even (Java 17 has no Float.floatToFloat16). nnU-Net keeps
 * its Gaussian importance map in float16, so reproducing its weights needs this rounding.
 */
public final class Float16 {

  private Float16() {}

  /** The half-precision bits nearest to {@code f} (ties to even; overflow gives infinity). */
  public static short fromFloat(float f) {
    int bits = Float.floatToRawIntBits(f);
    int sign = (bits >>> 16) & 0x8000;
    int exp = (bits >>> 23) & 0xff;
    int mant = bits & 0x7fffff;
    if (exp == 0xff) {
      return (short) (sign | 0x7c00 | (mant == 0 ? 0 : 0x200 | (mant >>> 13)));
    }
    if (exp == 0) {
      return (short) sign; // float subnormals are far below half's smallest subnormal (2^-24)
    }
    int halfExp = exp - 127 + 15;
    if (halfExp >= 0x1f) {
      return (short) (sign | 0x7c00);
    }
    if (halfExp >= 1) {
      int h = (halfExp << 10) | (mant >>> 13);
      int rest = mant & 0x1fff;
      if (rest > 0x1000 || (rest == 0x1000 && (h & 1) == 1)) {
        h++; // a carry into the exponent is the correct result, up to infinity
      }
      return (short) (sign | h);
    }
    // half subnormal: value = m * 2^-24 with m = significand >> shift
    int significand = mant | 0x800000;
    int shift = 14 - halfExp;
    if (shift > 24) {
      return (short) sign;
    }
    int h = significand >>> shift;
    int rest = significand & ((1 << shift) - 1);
    int halfway = 1 << (shift - 1);
    if (rest > halfway || (rest == halfway && (h & 1) == 1)) {
      h++;
    }
    return (short) (sign | h);
  }

  /** The exact float value of half-precision bits. */
  public static float toFloat(short half) {
    int h = half & 0xffff;
    int sign = (h & 0x8000) << 16;
    int exp = (h >>> 10) & 0x1f;
    int mant = h & 0x3ff;
    if (exp == 0) {
      float magnitude = mant * 0x1p-24f; // exact: at most 10 significant bits
      return sign == 0 ? magnitude : -magnitude;
    }
    if (exp == 0x1f) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
    }
    return Float.intBitsToFloat(sign | ((exp - 15 + 127) << 23) | (mant << 13));
  }

  /** {@code f} rounded to the nearest half-precision value, as a float. */
  public static float round(float f) {
    return toFloat(fromFloat(f));
  }
}
