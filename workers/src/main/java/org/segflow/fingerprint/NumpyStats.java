package org.segflow.fingerprint;

import java.util.Arrays;

/** numpy's {@code median} and {@code percentile} (default "linear" method), bit for bit. */
public final class NumpyStats {

  private NumpyStats() {}

  /** {@code np.median}: the middle value, or the mean {@code (a + b) / 2} of the two middle ones. */
  public static double median(double[] values) {
    double[] v = sorted(values);
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
  }

  /**
   * {@code np.percentile(values, q)}: virtual index (n-1)·q/100 between neighbours, interpolated
   * with numpy's {@code _lerp}, which for a fraction ≥ 0.5 computes from the upper neighbour.
   */
  public static double percentile(double[] values, double q) {
    double[] v = sorted(values);
    int n = v.length;
    double virtualIndex = (n - 1) * (q / 100.0);
    double lowerIndex = Math.floor(virtualIndex);
    int lower = (int) lowerIndex;
    int upper = Math.min(lower + 1, n - 1);
    double gamma = virtualIndex - lowerIndex;
    double a = v[lower];
    double b = v[upper];
    double diff = b - a;
    return gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma;
  }

  private static double[] sorted(double[] values) {
    if (values.length == 0) {
      throw new IllegalArgumentException("no values");
    }
    double[] v = values.clone();
    Arrays.sort(v);
    return v;
  }
}
