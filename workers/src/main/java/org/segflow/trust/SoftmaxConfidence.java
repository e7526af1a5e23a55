package org.segflow.trust;

import org.segflow.io.ImageArray;

/**
 * Confidence of one prediction from its (K, h, w) logits: the mean max softmax probability over the
 * predicted foreground and a {@value #BORDER}-pixel border around it, where a segmentation's doubt
 * lies (the background far from any structure is nearly always certain and would hide it). With no
 * foreground predicted, the mean over every pixel.
 */
public final class SoftmaxConfidence {

  static final int BORDER = 2;

  private SoftmaxConfidence() {}

  public static double of(ImageArray logits) {
    int k = logits.channels();
    int h = logits.height();
    int w = logits.width();
    int n = h * w;
    float[] l = logits.data();
    float[] maxProb = new float[n];
    boolean[] foreground = new boolean[n];
    boolean any = false;
    for (int i = 0; i < n; i++) {
      int arg = 0;
      float best = l[i];
      for (int c = 1; c < k; c++) {
        if (l[c * n + i] > best) {
          best = l[c * n + i];
          arg = c;
        }
      }
      double sum = 0;
      for (int c = 0; c < k; c++) {
        sum += Math.exp(l[c * n + i] - best);
      }
      maxProb[i] = (float) (1.0 / sum);
      foreground[i] = arg != 0;
      any |= arg != 0;
    }
    boolean[] region = any ? dilate(foreground, h, w) : null;
    double total = 0;
    long count = 0;
    for (int i = 0; i < n; i++) {
      if (region == null || region[i]) {
        total += maxProb[i];
        count++;
      }
    }
    return count == 0 ? 1.0 : total / count;
  }

  /** Square dilation by BORDER, as a row pass then a column pass. */
  private static boolean[] dilate(boolean[] mask, int h, int w) {
    boolean[] rows = new boolean[mask.length];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        boolean on = false;
        for (int dx = Math.max(0, x - BORDER); dx <= Math.min(w - 1, x + BORDER) && !on; dx++) {
          on = mask[y * w + dx];
        }
        rows[y * w + x] = on;
      }
    }
    boolean[] out = new boolean[mask.length];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        boolean on = false;
        for (int dy = Math.max(0, y - BORDER); dy <= Math.min(h - 1, y + BORDER) && !on; dy++) {
          on = rows[dy * w + x];
        }
        out[y * w + x] = on;
      }
    }
    return out;
  }
}
