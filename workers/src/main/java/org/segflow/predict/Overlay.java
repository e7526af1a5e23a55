package org.segflow.predict;

import org.segflow.io.DecodedImage;
import org.segflow.io.ImageArray;

/**
 * Pictures of a segmentation for people: the 0/255 mask, and the input photograph in RGB with each
 * label blended in at 60% in a colour that stands out on a fundus (vessels: yellow-green), optionally
 * with the region borders drawn solid.
 */
public final class Overlay {

  /** Blend weight of the label colour. */
  public static final float OPACITY = 0.6f;

  /** Colours for labels 1, 2, ... (cycled): yellow-green, cyan, magenta, orange, blue. */
  private static final int[][] PALETTE = {
      {170, 255, 0}, {0, 220, 255}, {255, 0, 200}, {255, 140, 0}, {60, 90, 255}};

  private Overlay() {}

  /** A viewable mask: label k of {@code classes} as round(k * 255 / (classes - 1)), i.e. 0/255 for 2. */
  public static ImageArray mask(short[] labels, int height, int width, int classes) {
    float[] out = new float[labels.length];
    int top = Math.max(1, classes - 1);
    for (int i = 0; i < labels.length; i++) {
      out[i] = Math.round(labels[i] * 255f / top);
    }
    return new ImageArray(1, height, width, out);
  }

  /** The overlay of {@code labels} on {@code photo} (8-bit RGB, see {@link #displayRgb}). */
  public static ImageArray render(ImageArray photo, short[] labels, boolean outline) {
    if (photo.channels() != 3 || labels.length != photo.pixels()) {
      throw new IllegalArgumentException("overlay needs an RGB image of the label map's size, got "
          + photo + " for " + labels.length + " labels");
    }
    int h = photo.height();
    int w = photo.width();
    int n = photo.pixels();
    float[] src = photo.data();
    float[] out = src.clone();
    for (int i = 0; i < n; i++) {
      int label = labels[i];
      if (label == 0) {
        continue;
      }
      int[] colour = PALETTE[(label - 1) % PALETTE.length];
      boolean border = outline && isBorder(labels, h, w, i);
      for (int c = 0; c < 3; c++) {
        float v = border ? colour[c] * 0.55f : (1 - OPACITY) * src[c * n + i] + OPACITY * colour[c];
        out[c * n + i] = Math.min(255, Math.round(v));
      }
    }
    return new ImageArray(3, h, w, out);
  }

  private static boolean isBorder(short[] labels, int h, int w, int i) {
    int y = i / w;
    int x = i % w;
    short l = labels[i];
    return (y > 0 && labels[i - w] != l) || (y < h - 1 && labels[i + w] != l)
        || (x > 0 && labels[i - 1] != l) || (x < w - 1 && labels[i + 1] != l);
  }

  /**
   * The input as 8-bit RGB for display: colour kept (alpha dropped, 16-bit reduced to the high
   * byte), gray repeated in R, G and B; 16-bit gray and float images are stretched from their
   * minimum to their maximum so that they are visible.
   */
  public static ImageArray displayRgb(DecodedImage image) {
    ImageArray px = image.pixels();
    int n = px.pixels();
    float[] src = px.data();
    float[] out = new float[3 * n];
    if (px.channels() >= 3) {
      for (int i = 0; i < 3 * n; i++) {
        out[i] = to8Bit(src[i], image.bitDepth());
      }
    } else {
      float lo = Float.POSITIVE_INFINITY;
      float hi = Float.NEGATIVE_INFINITY;
      for (int i = 0; i < n; i++) {
        lo = Math.min(lo, src[i]);
        hi = Math.max(hi, src[i]);
      }
      boolean stretch = image.bitDepth() != 8;
      for (int i = 0; i < n; i++) {
        float v = stretch ? (hi > lo ? Math.round((src[i] - lo) * 255f / (hi - lo)) : 0) : src[i];
        out[i] = v;
        out[n + i] = v;
        out[2 * n + i] = v;
      }
    }
    return new ImageArray(3, px.height(), px.width(), out);
  }

  /** 8 bits as is, 16 bits by the high byte, float colour assumed in [0, 1]. */
  private static float to8Bit(float v, int bits) {
    if (bits == 8) {
      return v;
    }
    if (bits == 16) {
      return ((int) v) >> 8;
    }
    return Math.max(0, Math.min(255, Math.round(v * 255f)));
  }
}
