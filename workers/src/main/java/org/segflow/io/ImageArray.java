package org.segflow.io;

import java.util.Arrays;

/**
 * A 2D image with one or more channels, stored channel-major: {@code data[c*height*width + y*width + x]}.
 * This is nnU-Net's (C, 1, H, W) array with the fake slice axis dropped. Float32 like nnU-Net's
 * readers, which convert every pixel to float32.
 */
public record ImageArray(int channels, int height, int width, float[] data) {

  public ImageArray {
    if (channels < 1 || height < 1 || width < 1) {
      throw new IllegalArgumentException("bad image shape " + channels + "x" + height + "x" + width);
    }
    if (data.length != (long) channels * height * width) {
      throw new IllegalArgumentException(
          "data length " + data.length + " != " + channels + "*" + height + "*" + width);
    }
  }

  public static ImageArray zeros(int channels, int height, int width) {
    return new ImageArray(channels, height, width, new float[channels * height * width]);
  }

  public int pixels() {
    return height * width;
  }

  public float get(int c, int y, int x) {
    return data[(c * height + y) * width + x];
  }

  public void set(int c, int y, int x, float v) {
    data[(c * height + y) * width + x] = v;
  }

  /** A copy of one channel's pixels, row-major. */
  public float[] channel(int c) {
    int n = pixels();
    return Arrays.copyOfRange(data, c * n, (c + 1) * n);
  }

  public boolean sameGeometry(ImageArray other) {
    return height == other.height && width == other.width;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ImageArray a
        && a.channels == channels && a.height == height && a.width == width
        && Arrays.equals(a.data, data);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * (31 * channels + height) + width) + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "ImageArray[" + channels + "x" + height + "x" + width + "]";
  }
}
