package org.segflow.infer;

import org.segflow.io.ImageArray;

/**
 * Label maps from class scores: the index of the largest score per pixel, the first one on ties
 * (numpy and torch argmax).
 */
public final class Argmax {

  private Argmax() {}

  /** Argmax of {@code scores[k * pixels + i]} per pixel. */
  public static short[] labels(float[] scores, int classes, int pixels) {
    Softmax.checkShape(scores, classes, pixels);
    checkClassCount(classes);
    short[] out = new short[pixels];
    for (int i = 0; i < pixels; i++) {
      float best = scores[i];
      int bestK = 0;
      for (int k = 1; k < classes; k++) {
        float v = scores[k * pixels + i];
        if (v > best) {
          best = v;
          bestK = k;
        }
      }
      out[i] = (short) bestK;
    }
    return out;
  }

  /**
   * The label map nnU-Net exports from logits: softmax, then argmax of the probabilities (rounding in
   * the softmax can tie two nearly equal logits, and the first then wins, as in nnU-Net).
   */
  public static short[] labelsFromLogits(ImageArray logits) {
    int classes = logits.channels();
    int pixels = logits.pixels();
    checkClassCount(classes);
    float[] data = logits.data();
    float[] e = new float[classes];
    short[] out = new short[pixels];
    for (int i = 0; i < pixels; i++) {
      float max = data[i];
      for (int k = 1; k < classes; k++) {
        max = Math.max(max, data[k * pixels + i]);
      }
      float total = 0f;
      for (int k = 0; k < classes; k++) {
        e[k] = (float) Math.exp(data[k * pixels + i] - max);
        total += e[k];
      }
      float best = e[0] / total;
      int bestK = 0;
      for (int k = 1; k < classes; k++) {
        float p = e[k] / total;
        if (p > best) {
          best = p;
          bestK = k;
        }
      }
      out[i] = (short) bestK;
    }
    return out;
  }

  private static void checkClassCount(int classes) {
    if (classes > Short.MAX_VALUE + 1) {
      throw new IllegalArgumentException(classes + " classes do not fit a 16-bit label map");
    }
  }
}
