package org.segflow.preprocess.normalization;

/** Leaves the float32 values as read. */
public final class NoNormalization implements ImageNormalization {

  @Override
  public void normalize(float[] values, int offset, int length, short[] seg) {
    // nnU-Net only casts to float32, which the reader already did
  }
}
