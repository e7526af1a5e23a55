package org.segflow.io;

/**
 * Gray from colour exactly as Pillow's {@code convert("L")}: ITU-R 601-2 weights in 16-bit fixed
 * point, {@code (R*19595 + G*38470 + B*7471 + 0x8000) >> 16} on 8-bit samples, alpha ignored.
 *
 * <p>16-bit colour images are first reduced to 8 bits by keeping each sample's high byte, which is
 * what Pillow does when it loads them (it has no 16-bit RGB mode), so the result is 8-bit gray.
 */
public final class Luma {

  private Luma() {}

  public static int luma(int r, int g, int b) {
    return (r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16;
  }

  /**
   * One gray channel from an RGB or RGBA image of the given bit depth (8 or 16); the result holds
   * 8-bit values. A one-channel image is returned unchanged.
   */
  public static ImageArray toGray(ImageArray img, int bitDepth) {
    if (img.channels() == 1) {
      return img;
    }
    if (img.channels() != 3 && img.channels() != 4) {
      throw new IllegalArgumentException("luma needs RGB or RGBA, got " + img.channels() + " channels");
    }
    if (bitDepth != 8 && bitDepth != 16) {
      throw new IllegalArgumentException("luma needs 8- or 16-bit samples, got " + bitDepth);
    }
    int shift = bitDepth == 16 ? 8 : 0;
    int n = img.pixels();
    float[] src = img.data();
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      int r = ((int) src[i]) >> shift;
      int g = ((int) src[n + i]) >> shift;
      int b = ((int) src[2 * n + i]) >> shift;
      out[i] = luma(r, g, b);
    }
    return new ImageArray(1, img.height(), img.width(), out);
  }

  /** The first three channels (alpha dropped, as Pillow's {@code convert("RGB")}), as 8-bit values. */
  public static ImageArray toRgb8(ImageArray img, int bitDepth) {
    if (img.channels() != 3 && img.channels() != 4) {
      throw new IllegalArgumentException("need RGB or RGBA, got " + img.channels() + " channels");
    }
    int n3 = 3 * img.pixels();
    float[] out = java.util.Arrays.copyOf(img.data(), n3);
    if (bitDepth == 16) {
      for (int i = 0; i < n3; i++) {
        out[i] = ((int) out[i]) >> 8;
      }
    } else if (bitDepth != 8) {
      throw new IllegalArgumentException("need 8- or 16-bit samples, got " + bitDepth);
    }
    return new ImageArray(3, img.height(), img.width(), out);
  }
}
