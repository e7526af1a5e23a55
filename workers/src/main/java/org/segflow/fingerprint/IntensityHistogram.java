package org.segflow.fingerprint;

import java.util.Arrays;
import org.segflow.preprocess.normalization.IntensityProperties;

/**
 * A multiset of float32 intensities kept as sorted distinct values with their counts: the compact
 * form of nnU-Net's array of up to 1e8 sampled foreground intensities. Statistics are computed from
 * it exactly as numpy computes them on the expanded array, except that mean and std are accumulated
 * in double (numpy sums the float32 samples pairwise in float32, so its mean and std can differ in the
 * ~7th significant digit).
 */
final class IntensityHistogram {

  static final IntensityHistogram EMPTY = new IntensityHistogram(new float[0], new long[0]);

  private final float[] values;
  private final long[] counts;
  private final long total;

  /** {@code values} strictly ascending, {@code counts} positive; the arrays are kept, not copied. */
  IntensityHistogram(float[] values, long[] counts) {
    if (values.length != counts.length) {
      throw new IllegalArgumentException("values and counts differ in length");
    }
    long t = 0;
    for (int i = 0; i < values.length; i++) {
      if (counts[i] <= 0 || (i > 0 && !(values[i - 1] < values[i]))) {
        throw new IllegalArgumentException("values must ascend strictly with positive counts at " + i);
      }
      t += counts[i];
    }
    this.values = values;
    this.counts = counts;
    this.total = t;
  }

  /** Counts each value of {@code samples} (any order; -0.0 counts as 0.0). */
  static IntensityHistogram of(float... samples) {
    long[] keyed = new long[samples.length];
    for (int i = 0; i < samples.length; i++) {
      keyed[i] = ((long) sortableKey(samples[i] + 0.0f) << 32) | 1L;
    }
    return fromKeyedCounts(keyed, keyed.length);
  }

  /**
   * Builds a histogram from entries {@code (sortableKey(value) << 32) | count} (count < 2^32), which
   * are sorted in place; equal values are summed.
   */
  static IntensityHistogram fromKeyedCounts(long[] entries, int length) {
    Arrays.sort(entries, 0, length);
    float[] v = new float[length];
    long[] c = new long[length];
    int n = 0;
    for (int i = 0; i < length; i++) {
      int key = (int) (entries[i] >> 32);
      long count = entries[i] & 0xffffffffL;
      if (count == 0) {
        continue;
      }
      if (n > 0 && sortableKey(v[n - 1]) == key) {
        c[n - 1] += count;
      } else {
        v[n] = fromSortableKey(key);
        c[n++] = count;
      }
    }
    return new IntensityHistogram(Arrays.copyOf(v, n), Arrays.copyOf(c, n));
  }

  /** The union of two multisets. */
  static IntensityHistogram merge(IntensityHistogram a, IntensityHistogram b) {
    if (a.values.length == 0) {
      return b;
    }
    if (b.values.length == 0) {
      return a;
    }
    float[] v = new float[a.values.length + b.values.length];
    long[] c = new long[v.length];
    int i = 0;
    int j = 0;
    int n = 0;
    while (i < a.values.length || j < b.values.length) {
      if (j == b.values.length || (i < a.values.length && a.values[i] < b.values[j])) {
        v[n] = a.values[i];
        c[n++] = a.counts[i++];
      } else if (i == a.values.length || b.values[j] < a.values[i]) {
        v[n] = b.values[j];
        c[n++] = b.counts[j++];
      } else {
        v[n] = a.values[i];
        c[n++] = a.counts[i++] + b.counts[j++];
      }
    }
    return new IntensityHistogram(Arrays.copyOf(v, n), Arrays.copyOf(c, n));
  }

  long total() {
    return total;
  }

  int distinctValues() {
    return values.length;
  }

  /** nnU-Net's per-channel fingerprint statistics; the histogram must not be empty. */
  IntensityProperties properties() {
    if (total == 0) {
      throw new IllegalStateException("no samples");
    }
    double sum = 0;
    for (int i = 0; i < values.length; i++) {
      sum += (double) values[i] * counts[i];
    }
    double mean = sum / total;
    double squares = 0;
    for (int i = 0; i < values.length; i++) {
      double d = values[i] - mean;
      squares += d * d * counts[i];
    }
    return new IntensityProperties(values[values.length - 1], mean, percentile(50.0), values[0],
        percentile(0.5), percentile(99.5), Math.sqrt(squares / total));
  }

  /**
   * {@code np.percentile(samples, percent)} with the default linear method on the float32 samples:
   * virtual index (n - 1) * percent / 100, the neighbour difference taken in float32, and numpy's
   * two-sided lerp (from below when the fraction is under 0.5, from above otherwise).
   */
  double percentile(double percent) {
    double q = percent / 100;
    double virtual = (total - 1) * q;
    if (virtual >= total - 1) {
      return valueAt(total - 1);
    }
    if (virtual < 0) {
      return valueAt(0);
    }
    double below = Math.floor(virtual);
    long lower = (long) below;
    float a = valueAt(lower);
    float b = valueAt(lower + 1);
    double gamma = virtual - below;
    double diff = b - a;
    return gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma;
  }

  /** The value at a 0-based rank of the sorted expanded samples. */
  float valueAt(long rank) {
    long seen = 0;
    for (int i = 0; i < values.length; i++) {
      seen += counts[i];
      if (rank < seen) {
        return values[i];
      }
    }
    throw new IndexOutOfBoundsException("rank " + rank + " of " + total);
  }

  /** An int whose signed order is the float order (for non-NaN values). */
  static int sortableKey(float v) {
    int bits = Float.floatToIntBits(v);
    return bits ^ ((bits >> 31) & 0x7fffffff);
  }

  static float fromSortableKey(int key) {
    return Float.intBitsToFloat(key ^ ((key >> 31) & 0x7fffffff));
  }
}
