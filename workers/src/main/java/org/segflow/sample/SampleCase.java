package org.segflow.sample;

/**
 * One generated case in memory, row-major: {@code rgb} holds R,G,B interleaved per pixel,
 * {@code label} (vessels) and {@code mask} (field of view) hold 0 or 255 per pixel.
 */
public record SampleCase(int height, int width, byte[] rgb, byte[] label, byte[] mask) {

  public SampleCase {
    int n = height * width;
    if (rgb.length != 3 * n || label.length != n || mask.length != n) {
      throw new IllegalArgumentException("sample case arrays do not match " + height + "x" + width);
    }
  }

  public int pixels() {
    return height * width;
  }

  /** Channel value 0..255 of pixel {@code i} (row-major index), channel 0=R, 1=G, 2=B. */
  public int rgb(int i, int channel) {
    return rgb[3 * i + channel] & 0xFF;
  }

  public boolean vessel(int i) {
    return label[i] != 0;
  }

  public boolean insideFov(int i) {
    return mask[i] != 0;
  }
}
