package org.segflow.trust;

import java.util.Arrays;

/** numpy's default (linear) percentile and the median absolute deviation, over small arrays. */
final class Percentiles {

  private Percentiles() {}

  /** The {@code q}-th percentile (0..100) of {@code values}; NaN when empty. Sorts a copy. */
  static double of(double[] values, double q) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] s = values.clone();
    Arrays.sort(s);
    return sorted(s, q);
  }

  static double sorted(double[] s, double q) {
    double pos = q / 100.0 * (s.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(lo + 1, s.length - 1);
    return s[lo] + (pos - lo) * (s[hi] - s[lo]);
  }

  static double sorted(float[] s, int n, double q) {
    if (n == 0) {
      return 0;
    }
    double pos = q / 100.0 * (n - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(lo + 1, n - 1);
    return s[lo] + (pos - lo) * (s[hi] - s[lo]);
  }

  /** 1.4826 x the median absolute deviation: the standard deviation for normal data, robust to outliers. */
  static double robustSd(double[] values, double median) {
    double[] dev = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      dev[i] = Math.abs(values[i] - median);
    }
    return 1.4826 * of(dev, 50);
  }
}
