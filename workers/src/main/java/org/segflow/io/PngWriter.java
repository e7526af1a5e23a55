package org.segflow.io;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferUShort;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.segflow.storage.AtomicFiles;

/**
 * Encodes PNGs from {@link ImageArray}s and writes them atomically. Output is deterministic (no
 * time chunk, fixed compression), so the same pixels always give the same bytes. Values must be
 * whole numbers within the target bit depth; nothing is clipped or rounded silently.
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
    BufferedImage out = new BufferedImage(img.width(), img.height(), BufferedImage.TYPE_BYTE_GRAY);
    byte[] dst = ((DataBufferByte) out.getRaster().getDataBuffer()).getData();
    float[] src = img.data();
    for (int i = 0; i < src.length; i++) {
      dst[i] = (byte) checked(src[i], 255);
    }
    return encode(out);
  }

  public static byte[] encodeGray16(ImageArray img) {
    requireChannels(img, 1, "16-bit gray PNG");
    BufferedImage out = new BufferedImage(img.width(), img.height(), BufferedImage.TYPE_USHORT_GRAY);
    short[] dst = ((DataBufferUShort) out.getRaster().getDataBuffer()).getData();
    float[] src = img.data();
    for (int i = 0; i < src.length; i++) {
      dst[i] = (short) checked(src[i], 65535);
    }
    return encode(out);
  }

  /** An 8-bit RGB PNG from a three-channel image. */
  public static byte[] encodeRgb8(ImageArray img) {
    requireChannels(img, 3, "8-bit RGB PNG");
    BufferedImage out = new BufferedImage(img.width(), img.height(), BufferedImage.TYPE_3BYTE_BGR);
    byte[] dst = ((DataBufferByte) out.getRaster().getDataBuffer()).getData();
    float[] src = img.data();
    int n = img.pixels();
    for (int i = 0, j = 0; i < n; i++, j += 3) {
      dst[j] = (byte) checked(src[2 * n + i], 255);
      dst[j + 1] = (byte) checked(src[n + i], 255);
      dst[j + 2] = (byte) checked(src[i], 255);
    }
    return encode(out);
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

  private static byte[] encode(BufferedImage img) {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(img.getWidth() * img.getHeight() / 2 + 1024);
    try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      writer.setOutput(out);
      writer.write(null, new IIOImage(img, null, null), writer.getDefaultWriteParam());
    } catch (IOException e) {
      throw new UncheckedIOException("PNG encoding failed", e);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }
}
