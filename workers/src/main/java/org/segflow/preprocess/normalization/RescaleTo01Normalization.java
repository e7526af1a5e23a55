package org.segflow.preprocess.normalization;

/** Per-image min-max scaling: x - min, then divided by max(new max, 1e-8), in float32. */
public final class RescaleTo01Normalization implements ImageNormalization {

  @Override
  public void normalize(float[] values, int offset, int length, short[] seg) {
    if (length == 0) {
      return;
    }
    float min = Float.POSITIVE_INFINITY;
    for (int i = offset, end = offset + length; i < end; i++) {
      min = Math.min(min, values[i]);
    }
    float max = Float.NEGATIVE_INFINITY;
    for (int i = offset, end = offset + length; i < end; i++) {
      values[i] -= min;
      max = Math.max(max, values[i]);
    }
    float divisor = Math.max(max, (float) 1e-8);
    for (int i = offset, end = offset + length; i < end; i++) {
      values[i] /= divisor;
    }
  }
}
