package org.segflow.preprocess.normalization;

/**
 * Per-image, per-channel z-score: (x - mean) / max(std, 1e-8) with the population std. With
 * use_mask_for_norm the statistics and the normalization cover only pixels whose seg is >= 0 (inside
 * the nonzero region); the others keep their value (0, since they lie outside that region).
 * Mean and std are accumulated in double (numpy: float32 pairwise sums), then rounded to float32 and
 * applied with float32 arithmetic as numpy does.
 */
public final class ZScoreNormalization implements ImageNormalization {

  private final boolean useMask;

  public ZScoreNormalization(boolean useMaskForNorm) {
    this.useMask = useMaskForNorm;
  }

  @Override
  public void normalize(float[] values, int offset, int length, short[] seg) {
    boolean masked = useMask && seg != null;
    long n = 0;
    double sum = 0;
    for (int i = 0; i < length; i++) {
      if (!masked || seg[i] >= 0) {
        sum += values[offset + i];
        n++;
      }
    }
    if (n == 0) {
      return; // numpy: empty mask, nothing is assigned
    }
    double mean = sum / n;
    double squares = 0;
    for (int i = 0; i < length; i++) {
      if (!masked || seg[i] >= 0) {
        double d = values[offset + i] - mean;
        squares += d * d;
      }
    }
    float m = (float) mean;
    float s = (float) Math.sqrt(squares / n);
    // Python's max(std, 1e-8) keeps the float32 std unless 1e-8 is strictly larger
    float divisor = 1e-8 > s ? (float) 1e-8 : s;
    for (int i = 0; i < length; i++) {
      if (!masked || seg[i] >= 0) {
        values[offset + i] = (values[offset + i] - m) / divisor;
      }
    }
  }
}
