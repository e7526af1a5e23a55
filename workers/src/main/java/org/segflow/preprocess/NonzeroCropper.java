package org.segflow.preprocess;

import org.segflow.io.ImageArray;

/**
 * nnU-Net's crop to the nonzero region: the mask is the OR over channels of
 * {@code x != 0}, optionally hole-filled; the image and segmentation are cropped to the mask's
 * half-open bounding box (the whole image when the mask is empty), and segmentation pixels that are 0
 * and outside the mask become {@value #OUTSIDE}. Without a segmentation one is created: 0 inside the
 * mask, {@value #OUTSIDE} outside.
 *
 * <p>Hole filling: nnU-Net calls {@code scipy.ndimage.binary_fill_holes} on the (1, H, W) volume of a
 * 2D image. With one slice every pixel touches the volume's border along z, so nothing is ever filled:
 * {@link #NNUNET} reproduces that (verified with scipy 1.17). {@link #PLANAR} instead fills holes in
 * the 2D plane (background regions not 4-connected to the image border become mask), which is what
 * the same call does on an (H, W) array.
 */
public final class NonzeroCropper {

  /** Segmentation value for background outside the nonzero region. */
  public static final short OUTSIDE = -1;

  /** How holes in the nonzero mask are filled. */
  public enum HoleFilling {
    /** As nnU-Net on 2D data: the (1, H, W) fill is a no-op. */
    NNUNET_VOLUME,
    /** 2D fill: background not 4-connected to the border joins the mask. */
    PLANAR
  }

  /** Bit-for-bit what nnU-Net does to 2D images; the default everywhere. */
  public static final NonzeroCropper NNUNET = new NonzeroCropper(HoleFilling.NNUNET_VOLUME);
  /** Fills enclosed zero regions in the plane. */
  public static final NonzeroCropper PLANAR = new NonzeroCropper(HoleFilling.PLANAR);

  private final HoleFilling holeFilling;

  public NonzeroCropper(HoleFilling holeFilling) {
    this.holeFilling = holeFilling;
  }

  public HoleFilling holeFilling() {
    return holeFilling;
  }

  /**
   * A cropped case. {@code seg} has the cropped geometry and holds {@value #OUTSIDE} outside the mask;
   * {@code bbox} is [[0, 1], [y0, y1], [x0, x1]] (half-open); shapes are (1, H, W).
   */
  public record Cropped(ImageArray data, short[] seg, int[][] bbox, int[] shapeBeforeCropping,
      int[] shapeAfterCropping) {}

  /** Crops {@code image} and {@code seg} (row-major, same height x width; null to create one). */
  public Cropped crop(ImageArray image, short[] seg) {
    int h = image.height();
    int w = image.width();
    if (seg != null && seg.length != image.pixels()) {
      throw new IllegalArgumentException("seg has " + seg.length + " pixels, image " + image.pixels());
    }
    boolean[] mask = nonzeroMask(image);
    int y0 = h;
    int y1 = -1;
    int x0 = w;
    int x1 = -1;
    for (int y = 0; y < h; y++) {
      int row = y * w;
      for (int x = 0; x < w; x++) {
        if (mask[row + x]) {
          y0 = Math.min(y0, y);
          y1 = y;
          x0 = Math.min(x0, x);
          x1 = Math.max(x1, x);
        }
      }
    }
    if (y1 < 0) {
      y0 = 0;
      y1 = h - 1;
      x0 = 0;
      x1 = w - 1;
    }
    int ch = y1 - y0 + 1;
    int cw = x1 - x0 + 1;
    int c = image.channels();
    float[] src = image.data();
    float[] data = new float[c * ch * cw];
    for (int k = 0; k < c; k++) {
      for (int y = 0; y < ch; y++) {
        System.arraycopy(src, (k * h + y0 + y) * w + x0, data, (k * ch + y) * cw, cw);
      }
    }
    short[] out = new short[ch * cw];
    for (int y = 0; y < ch; y++) {
      for (int x = 0; x < cw; x++) {
        int p = (y0 + y) * w + x0 + x;
        short label = seg == null ? 0 : seg[p];
        out[y * cw + x] = label == 0 && !mask[p] ? OUTSIDE : label;
      }
    }
    return new Cropped(new ImageArray(c, ch, cw, data), out,
        new int[][] {{0, 1}, {y0, y1 + 1}, {x0, x1 + 1}}, new int[] {1, h, w}, new int[] {1, ch, cw});
  }

  /** True where any channel is nonzero, after this cropper's hole filling; row-major H x W. */
  public boolean[] nonzeroMask(ImageArray image) {
    int n = image.pixels();
    float[] v = image.data();
    boolean[] mask = new boolean[n];
    for (int k = 0; k < image.channels(); k++) {
      int base = k * n;
      for (int p = 0; p < n; p++) {
        if (v[base + p] != 0) {
          mask[p] = true;
        }
      }
    }
    if (holeFilling == HoleFilling.PLANAR) {
      fillHolesPlanar(mask, image.height(), image.width());
    }
    return mask;
  }

  /** scipy's binary_fill_holes on a 2D array: flood the background from the border, 4-connected. */
  static void fillHolesPlanar(boolean[] mask, int h, int w) {
    boolean[] reached = new boolean[mask.length];
    int[] stack = new int[mask.length];
    int top = 0;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int p = y * w + x;
        if ((y == 0 || y == h - 1 || x == 0 || x == w - 1) && !mask[p] && !reached[p]) {
          reached[p] = true;
          stack[top++] = p;
        }
      }
    }
    while (top > 0) {
      int p = stack[--top];
      int y = p / w;
      int x = p - y * w;
      if (y > 0 && !mask[p - w] && !reached[p - w]) {
        reached[p - w] = true;
        stack[top++] = p - w;
      }
      if (y < h - 1 && !mask[p + w] && !reached[p + w]) {
        reached[p + w] = true;
        stack[top++] = p + w;
      }
      if (x > 0 && !mask[p - 1] && !reached[p - 1]) {
        reached[p - 1] = true;
        stack[top++] = p - 1;
      }
      if (x < w - 1 && !mask[p + 1] && !reached[p + 1]) {
        reached[p + 1] = true;
        stack[top++] = p + 1;
      }
    }
    for (int p = 0; p < mask.length; p++) {
      if (!reached[p]) {
        mask[p] = true;
      }
    }
  }
}
