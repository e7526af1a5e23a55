package org.segflow.preprocess.normalization;

import org.segflow.InvalidInputException;

/** 8-bit colour to [0, 1]: x / 255. Values outside 0..255 mean the image is not 8-bit RGB. */
public final class RGBTo01Normalization implements ImageNormalization {

  @Override
  public void normalize(float[] values, int offset, int length, short[] seg) {
    float min = Float.POSITIVE_INFINITY;
    float max = Float.NEGATIVE_INFINITY;
    for (int i = offset, end = offset + length; i < end; i++) {
      min = Math.min(min, values[i]);
      max = Math.max(max, values[i]);
    }
    if (min < 0 || max > 255) {
      throw new InvalidInputException("RGBTo01Normalization expects 8-bit values in 0..255, found "
          + "min " + min + " and max " + max + "; use ZScoreNormalization for other images");
    }
    for (int i = offset, end = offset + length; i < end; i++) {
      values[i] /= 255f;
    }
  }
}
