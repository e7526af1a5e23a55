package org.segflow.evaluate;

/**
 * numpy's float64 sum, bit for bit: pairwise summation with 8 accumulators in blocks of up to 128
 * elements ({@code pairwise_sum_DOUBLE}). A plain loop can differ in the last bits, which would make
 * summary.json means and the Gaussian kernel differ from nnU-Net's.
 */
public final class NumpySum {

  private static final int BLOCK = 128;

  private NumpySum() {}

  public static double sum(double[] a) {
    return sum(a, 0, a.length);
  }

  public static double sum(double[] a, int from, int n) {
    if (n < 8) {
      double res = 0.0;
      for (int i = 0; i < n; i++) {
        res += a[from + i];
      }
      return res;
    }
    if (n <= BLOCK) {
      double[] r = new double[8];
      System.arraycopy(a, from, r, 0, 8);
      int i = 8;
      for (; i < n - (n % 8); i += 8) {
        for (int j = 0; j < 8; j++) {
          r[j] += a[from + i + j];
        }
      }
      double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
      for (; i < n; i++) {
        res += a[from + i];
      }
      return res;
    }
    int n2 = n / 2;
    n2 -= n2 % 8;
    return sum(a, from, n2) + sum(a, from + n2, n - n2);
  }

  /** {@code np.mean}: NaN if any value is NaN; NaN for no values. */
  public static double mean(double[] a) {
    return a.length == 0 ? Double.NaN : sum(a) / a.length;
  }

  /** {@code np.nanmean}: the mean of the non-NaN values; NaN if there are none. */
  public static double nanMean(double[] a) {
    double[] kept = new double[a.length];
    int count = 0;
    for (int i = 0; i < a.length; i++) {
      // numpy replaces NaN by 0 and sums everything; zeros do not change a pairwise sum's value,
      // but their positions change the blocking, so keep them in place
      if (Double.isNaN(a[i])) {
        kept[i] = 0.0;
      } else {
        kept[i] = a[i];
        count++;
      }
    }
    return count == 0 ? Double.NaN : sum(kept) / count;
  }
}
