package org.segflow.infer;

import org.segflow.io.ImageArray;

/** Softmax over the class axis of (K, H, W) logits, as nnU-Net's inference nonlinearity. */
public final class Softmax {

  private Softmax() {}

  public static ImageArray probabilities(ImageArray logits) {
    return new ImageArray(logits.channels(), logits.height(), logits.width(),
        probabilities(logits.data(), logits.channels(), logits.pixels()));
  }

  /** {@code logits[k * pixels + i]} to probabilities of the same layout (a new array). */
  public static float[] probabilities(float[] logits, int classes, int pixels) {
    checkShape(logits, classes, pixels);
    float[] out = new float[logits.length];
    for (int i = 0; i < pixels; i++) {
      float max = logits[i];
      for (int k = 1; k < classes; k++) {
        max = Math.max(max, logits[k * pixels + i]);
      }
      float total = 0f;
      for (int k = 0; k < classes; k++) {
        float e = (float) Math.exp(logits[k * pixels + i] - max);
        out[k * pixels + i] = e;
        total += e;
      }
      for (int k = 0; k < classes; k++) {
        out[k * pixels + i] /= total;
      }
    }
    return out;
  }

  static void checkShape(float[] values, int classes, int pixels) {
    if (classes < 1 || values.length != (long) classes * pixels) {
      throw new IllegalArgumentException("array length " + values.length + " != " + classes + " classes * "
          + pixels + " pixels");
    }
  }
}
