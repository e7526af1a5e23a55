package org.segflow.train.augment;

import java.util.Arrays;

/**
 * Cuts a window out of a channel-major image or a label map. The window may reach outside the
 * source on any side (even lie entirely outside it); those pixels get the padding value, as
 * acvl_utils' crop_and_pad_nd and batchgeneratorsv2's crop_tensor do.
 */
public final class PaddedCrop {

  private PaddedCrop() {}

  /** Crops every channel of {@code src} (C, h, w) to rows [y0, y0+ch) and columns [x0, x0+cw). */
  public static float[] image(
      float[] src, int channels, int h, int w, int y0, int x0, int ch, int cw, float pad) {
    float[] out = new float[channels * ch * cw];
    if (pad != 0f) {
      Arrays.fill(out, pad);
    }
    int xs = Math.max(0, x0);
    int xe = Math.min(w, x0 + cw);
    int ys = Math.max(0, y0);
    int ye = Math.min(h, y0 + ch);
    if (xs >= xe || ys >= ye) {
      return out;
    }
    for (int c = 0; c < channels; c++) {
      int srcBase = c * h * w;
      int dstBase = c * ch * cw;
      for (int y = ys; y < ye; y++) {
        System.arraycopy(src, srcBase + y * w + xs, out, dstBase + (y - y0) * cw + (xs - x0), xe - xs);
      }
    }
    return out;
  }

  /** Crops a label map (h, w) to rows [y0, y0+ch) and columns [x0, x0+cw). */
  public static short[] labels(short[] src, int h, int w, int y0, int x0, int ch, int cw, short pad) {
    short[] out = new short[ch * cw];
    if (pad != 0) {
      Arrays.fill(out, pad);
    }
    int xs = Math.max(0, x0);
    int xe = Math.min(w, x0 + cw);
    int ys = Math.max(0, y0);
    int ye = Math.min(h, y0 + ch);
    if (xs >= xe || ys >= ye) {
      return out;
    }
    for (int y = ys; y < ye; y++) {
      System.arraycopy(src, y * w + xs, out, (y - y0) * cw + (xs - x0), xe - xs);
    }
    return out;
  }
}
