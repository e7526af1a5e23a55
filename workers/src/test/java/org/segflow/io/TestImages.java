package org.segflow.io;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import javax.imageio.ImageIO;

/** Tiny test images written with javax.imageio. Pixel arrays are row-major, one int per sample. */
public final class TestImages {

  private TestImages() {}

  /** 8-bit gray; {@code format} is an ImageIO format name ("png", "tif", "bmp", "jpg"). */
  public static Path gray8(Path file, int width, int[] values, String format) {
    BufferedImage img = new BufferedImage(width, values.length / width, BufferedImage.TYPE_BYTE_GRAY);
    img.getRaster().setPixels(0, 0, width, values.length / width, values);
    return write(img, format, file);
  }

  public static Path gray8(Path file, int width, int[] values) {
    return gray8(file, width, values, "png");
  }

  /** An 8-bit gray image filled with one value. */
  public static Path grayFilled(Path file, int width, int height, int value) {
    int[] v = new int[width * height];
    java.util.Arrays.fill(v, value);
    return gray8(file, width, v);
  }

  public static Path gray16(Path file, int width, int[] values) {
    BufferedImage img = new BufferedImage(width, values.length / width, BufferedImage.TYPE_USHORT_GRAY);
    img.getRaster().setPixels(0, 0, width, values.length / width, values);
    return write(img, "png", file);
  }

  /** 8-bit RGB from interleaved r,g,b samples. */
  public static Path rgb8(Path file, int width, int[] rgb, String format) {
    int h = rgb.length / 3 / width;
    BufferedImage img = new BufferedImage(width, h, BufferedImage.TYPE_3BYTE_BGR);
    img.getRaster().setPixels(0, 0, width, h, rgb);
    return write(img, format, file);
  }

  public static Path rgb8(Path file, int width, int[] rgb) {
    return rgb8(file, width, rgb, "png");
  }

  /** 8-bit RGBA (PNG) from interleaved r,g,b,a samples. */
  public static Path rgba8(Path file, int width, int[] rgba) {
    int h = rgba.length / 4 / width;
    BufferedImage img = new BufferedImage(width, h, BufferedImage.TYPE_4BYTE_ABGR);
    img.getRaster().setPixels(0, 0, width, h, rgba);
    return write(img, "png", file);
  }

  /** 16-bit RGB PNG from interleaved samples. */
  public static Path rgb16(Path file, int width, int[] rgb) {
    int h = rgb.length / 3 / width;
    ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB),
        new int[] {16, 16, 16}, false, false, Transparency.OPAQUE, DataBuffer.TYPE_USHORT);
    WritableRaster r = cm.createCompatibleWritableRaster(width, h);
    r.setPixels(0, 0, width, h, rgb);
    return write(new BufferedImage(cm, r, false, null), "png", file);
  }

  /** 8-bit gray + alpha PNG (two channels). */
  public static Path grayAlpha(Path file, int width, int[] ga) {
    int h = ga.length / 2 / width;
    ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY),
        new int[] {8, 8}, true, false, Transparency.TRANSLUCENT, DataBuffer.TYPE_BYTE);
    WritableRaster r = cm.createCompatibleWritableRaster(width, h);
    r.setPixels(0, 0, width, h, ga);
    return write(new BufferedImage(cm, r, false, null), "png", file);
  }

  /** A palette PNG: {@code palette} holds r,g,b triples, {@code alpha} per entry or null. */
  public static Path palette(Path file, int width, int[] indices, int[] palette, int[] alpha) {
    int n = palette.length / 3;
    byte[] r = new byte[n];
    byte[] g = new byte[n];
    byte[] b = new byte[n];
    byte[] a = new byte[n];
    for (int i = 0; i < n; i++) {
      r[i] = (byte) palette[3 * i];
      g[i] = (byte) palette[3 * i + 1];
      b[i] = (byte) palette[3 * i + 2];
      a[i] = (byte) (alpha == null ? 255 : alpha[i]);
    }
    IndexColorModel icm = alpha == null ? new IndexColorModel(8, n, r, g, b)
        : new IndexColorModel(8, n, r, g, b, a);
    BufferedImage img = new BufferedImage(width, indices.length / width,
        BufferedImage.TYPE_BYTE_INDEXED, icm);
    img.getRaster().setPixels(0, 0, width, indices.length / width, indices);
    return write(img, "png", file);
  }

  /** A 1-bit black/white PNG (Pillow mode "1"). */
  public static Path bilevel(Path file, int width, int[] bits) {
    BufferedImage img = new BufferedImage(width, bits.length / width, BufferedImage.TYPE_BYTE_BINARY);
    img.getRaster().setPixels(0, 0, width, bits.length / width, bits);
    return write(img, "png", file);
  }

  /** A 32-bit float gray TIFF. */
  public static Path floatTiff(Path file, int width, float[] values) {
    int h = values.length / width;
    ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY),
        new int[] {32}, false, false, Transparency.OPAQUE, DataBuffer.TYPE_FLOAT);
    WritableRaster r = cm.createCompatibleWritableRaster(width, h);
    r.setPixels(0, 0, width, h, values);
    return write(new BufferedImage(cm, r, false, null), "tif", file);
  }

  /**
   * An image bomb: a valid PNG whose IHDR declares {@code width x height} 8-bit gray pixels, with an
   * IDAT holding the first {@code rows} rows of zeros, deflated (a decoder allocates the whole image
   * from the header before it finds the data short). A few kilobytes for 30000x30000.
   */
  public static Path pngBomb(Path file, int width, int height, int rows) {
    try (ByteArrayOutputStream png = new ByteArrayOutputStream()) {
      png.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
      ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height)
          .put((byte) 8).put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0);
      chunk(png, "IHDR", ihdr.array());
      ByteArrayOutputStream idat = new ByteArrayOutputStream();
      try (DeflaterOutputStream z = new DeflaterOutputStream(idat, new Deflater(Deflater.BEST_COMPRESSION))) {
        byte[] row = new byte[width + 1]; // filter byte 0 + the row's samples
        for (int y = 0; y < rows; y++) {
          z.write(row);
        }
      }
      chunk(png, "IDAT", idat.toByteArray());
      chunk(png, "IEND", new byte[0]);
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.write(file, png.toByteArray());
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void chunk(ByteArrayOutputStream png, String type, byte[] data) throws IOException {
    byte[] t = type.getBytes(StandardCharsets.US_ASCII);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    png.write(ByteBuffer.allocate(4).putInt(data.length).array());
    png.write(t);
    png.write(data);
    png.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  public static Path write(BufferedImage img, String format, Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      if (!ImageIO.write(img, format, file.toFile())) {
        throw new IllegalStateException("no ImageIO writer for " + format + " / " + img);
      }
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
