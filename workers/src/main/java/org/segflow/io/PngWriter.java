package org.segflow.io;

import java.nio.file.Path;
import org.segflow.storage.AtomicFiles;

/**
 * Encodes PNGs from {@link ImageArray}s and writes them atomically. Output is deterministic (no
 * time chunk, fixed filter and compression, see {@link PngEncoder}), so the same pixels always
 * give the same bytes. Values must be whole numbers within the target bit depth; nothing is clipped
 * or rounded silently.
 */
public final class PngWriter {

  private PngWriter() {}

  /**
   * A segmentation (one channel) as nnU-Net's NaturalImage2DIO writes it: 8-bit if max < 255,
   * otherwise 16-bit.
   */
  public static byte[] encodeLabelMap(ImageArray seg) {
    requireChannels(seg, 1, "label map");
    float max = 0;
    for (float v : seg.data()) {
      max = Math.max(max, v);
    }
    return max < 255 ? encodeGray8(seg) : encodeGray16(seg);
  }

  /** A label map from integer labels, row-major {@code labels[y * width + x]}. */
  public static byte[] encodeLabelMap(int height, int width, int[] labels) {
    float[] data = new float[labels.length];
    for (int i = 0; i < labels.length; i++) {
      data[i] = labels[i];
    }
    return encodeLabelMap(new ImageArray(1, height, width, data));
  }

  public static byte[] encodeGray8(ImageArray img) {
    requireChannels(img, 1, "8-bit gray PNG");
    float[] src = img.data();
    byte[] dst = new byte[src.length];
    for (int i = 0; i < src.length; i++) {
      dst[i] = (byte) checked(src[i], 255);
    }
    return PngEncoder.encode(img.width(), img.height(), 1, dst, null);
  }

  public static byte[] encodeGray16(ImageArray img) {
    requireChannels(img, 1, "16-bit gray PNG");
    float[] src = img.data();
    short[] dst = new short[src.length];
    for (int i = 0; i < src.length; i++) {
      dst[i] = (short) checked(src[i], 65535);
    }
    return PngEncoder.encode(img.width(), img.height(), 1, null, dst);
  }

  /** An 8-bit RGB PNG from a three-channel image. */
  public static byte[] encodeRgb8(ImageArray img) {
    requireChannels(img, 3, "8-bit RGB PNG");
    float[] src = img.data();
    int n = img.pixels();
    byte[] dst = new byte[3 * n];
    for (int i = 0, j = 0; i < n; i++, j += 3) {
      dst[j] = (byte) checked(src[i], 255);
      dst[j + 1] = (byte) checked(src[n + i], 255);
      dst[j + 2] = (byte) checked(src[2 * n + i], 255);
    }
    return PngEncoder.encode(img.width(), img.height(), 3, dst, null);
  }

  /** An 8-bit gray (channels = 1) or RGB (channels = 3) PNG from interleaved, row-major samples. */
  public static byte[] encodeInterleaved8(int width, int height, int channels, byte[] samples) {
    if (samples.length != (long) width * height * channels) {
      throw new IllegalArgumentException(samples.length + " samples do not make a " + height + "x" + width
          + "x" + channels + " image");
    }
    return PngEncoder.encode(width, height, channels, samples, null);
  }

  public static void writeLabelMap(Path file, ImageArray seg) {
    AtomicFiles.write(file, encodeLabelMap(seg));
  }

  public static void writeGray8(Path file, ImageArray img) {
    AtomicFiles.write(file, encodeGray8(img));
  }

  public static void writeGray16(Path file, ImageArray img) {
    AtomicFiles.write(file, encodeGray16(img));
  }

  public static void writeRgb8(Path file, ImageArray img) {
    AtomicFiles.write(file, encodeRgb8(img));
  }

  private static int checked(float v, int max) {
    int i = (int) v;
    if (i != v || i < 0 || i > max) {
      throw new IllegalArgumentException("pixel value " + v + " is not a whole number in 0.." + max);
    }
    return i;
  }

  private static void requireChannels(ImageArray img, int channels, String what) {
    if (img.channels() != channels) {
      throw new IllegalArgumentException(what + " needs " + channels + " channel(s), got "
          + img.channels());
    }
  }
}
