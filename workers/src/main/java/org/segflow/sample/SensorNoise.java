package org.segflow.sample;

import java.util.SplittableRandom;

/**
 * Fast standard-normal noise for whole image rows: 12 random bits pick one of 4096 normal
 * quantiles (five samples per 64-bit draw), and neighbouring samples of one channel share a
 * little noise, like demosaiced camera noise. The quantiles come from Acklam's inverse normal
 * CDF computed with StrictMath, so the noise is the same on every platform.
 */
final class SensorNoise {

  private static final int BITS = 12;
  private static final float[] QUANTILES = quantiles();

  private SensorNoise() {}

  /** Fills {@code out} with unit-variance noise; samples {@code i} and {@code i - stride} correlate. */
  static void fill(SplittableRandom rnd, float[] out, int stride) {
    int mask = (1 << BITS) - 1;
    int i = 0;
    while (i < out.length) {
      long bits = rnd.nextLong();
      for (int k = 0; k < 5 && i < out.length; k++, i++) {
        out[i] = QUANTILES[(int) (bits >>> (BITS * k)) & mask];
      }
    }
    // out[i] = a * n[i] + b * n[i - stride], with a^2 + b^2 = 1 to keep unit variance
    final float a = 0.92f;
    final float b = 0.39f;
    for (int j = out.length - 1; j >= stride; j--) {
      out[j] = a * out[j] + b * out[j - stride];
    }
  }

  private static float[] quantiles() {
    int n = 1 << BITS;
    double[] q = new double[n];
    double sum2 = 0;
    for (int i = 0; i < n; i++) {
      q[i] = inverseNormal((i + 0.5) / n);
      sum2 += q[i] * q[i];
    }
    // the table is symmetric (mean 0); rescale to exactly unit variance
    double scale = 1.0 / StrictMath.sqrt(sum2 / n);
    float[] t = new float[n];
    for (int i = 0; i < n; i++) {
      t[i] = (float) (q[i] * scale);
    }
    return t;
  }

  /** Acklam's rational approximation of the standard normal quantile (relative error < 1.2e-9). */
  static double inverseNormal(double p) {
    final double[] a = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
        1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00};
    final double[] b = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
        6.680131188771972e+01, -1.328068155288572e+01};
    final double[] c = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
        -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00};
    final double[] d = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
        3.754408661907416e+00};
    double low = 0.02425;
    if (p < low || p > 1 - low) {
      double q = StrictMath.sqrt(-2 * StrictMath.log(p < low ? p : 1 - p));
      double x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
          / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
      return p < low ? x : -x;
    }
    double q = p - 0.5;
    double r = q * q;
    return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
        / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  }
}
