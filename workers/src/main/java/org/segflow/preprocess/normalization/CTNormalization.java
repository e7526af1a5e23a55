package org.segflow.preprocess.normalization;


/**
 * Dataset-wide normalization for CT-like intensities: clip to the fingerprint's foreground
 * [percentile_00_5, percentile_99_5], subtract its mean, divide by max(std, 1e-8). The bounds, mean
 * and divisor are rounded to float32 first, as numpy does when combining them with a float32 array.
 */
public final class CTNormalization implements ImageNormalization {

  private final float lower;
  private final float upper;
  private final float mean;
  private final float divisor;

  public CTNormalization(IntensityProperties properties) {
    this.lower = (float) properties.percentile005();
    this.upper = (float) properties.percentile995();
    this.mean = (float) properties.mean();
    this.divisor = (float) Math.max(properties.std(), 1e-8);
  }

  @Override
  public void normalize(float[] values, int offset, int length, short[] seg) {
    for (int i = offset, end = offset + length; i < end; i++) {
      float v = Math.min(Math.max(values[i], lower), upper);
      values[i] = (v - mean) / divisor;
    }
  }
}
