package org.segflow.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * A minimal PNG encoder for gray and RGB images of 8 or 16 bits: IHDR, one IDAT, IEND. Every row
 * uses the Sub filter and zlib level 4, which on fundus photographs is about 2.5 times cheaper
 * than ImageIO's adaptive filtering and gives smaller files; no time or text chunks, so the same
 * pixels always give the same bytes (for a given zlib).
 */
final class PngEncoder {

  private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  private static final int LEVEL = 4;

  private PngEncoder() {}

  /**
   * Encodes interleaved samples ({@code channels} per pixel, row-major): 8-bit values in
   * {@code bytes8} or 16-bit values in {@code shorts16} (exactly one is non-null).
   */
  static byte[] encode(int width, int height, int channels, byte[] bytes8, short[] shorts16) {
    int bitDepth = bytes8 != null ? 8 : 16;
    int colorType = switch (channels) {
      case 1 -> 0;
      case 3 -> 2;
      default -> throw new IllegalArgumentException("PNG encoder supports 1 or 3 channels");
    };
    int bpp = channels * bitDepth / 8;
    int stride = width * bpp;
    ByteArrayOutputStream idat = new ByteArrayOutputStream(stride * height / 2 + 64);
    Deflater deflater = new Deflater(LEVEL);
    try (DeflaterOutputStream z = new DeflaterOutputStream(idat, deflater, 1 << 16)) {
      byte[] row = new byte[stride];
      byte[] line = new byte[stride + 1];
      line[0] = 1; // Sub: each byte minus the byte one pixel to the left
      for (int y = 0; y < height; y++) {
        if (bytes8 != null) {
          System.arraycopy(bytes8, y * stride, row, 0, stride);
        } else {
          int base = y * width * channels;
          for (int i = 0, j = 0; i < width * channels; i++, j += 2) {
            short v = shorts16[base + i];
            row[j] = (byte) (v >> 8);
            row[j + 1] = (byte) v;
          }
        }
        for (int i = 0; i < bpp; i++) {
          line[i + 1] = row[i];
        }
        for (int i = bpp; i < stride; i++) {
          line[i + 1] = (byte) (row[i] - row[i - bpp]);
        }
        z.write(line);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      deflater.end();
    }
    byte[] compressed = idat.toByteArray();
    ByteArrayOutputStream out = new ByteArrayOutputStream(compressed.length + 64);
    out.writeBytes(SIGNATURE);
    byte[] ihdr = new byte[13];
    putInt(ihdr, 0, width);
    putInt(ihdr, 4, height);
    ihdr[8] = (byte) bitDepth;
    ihdr[9] = (byte) colorType;
    // compression 0, filter method 0, no interlace
    chunk(out, "IHDR", ihdr);
    chunk(out, "IDAT", compressed);
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
    byte[] len = new byte[4];
    putInt(len, 0, data.length);
    out.writeBytes(len);
    byte[] t = type.getBytes(StandardCharsets.US_ASCII);
    out.writeBytes(t);
    out.writeBytes(data);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    byte[] c = new byte[4];
    putInt(c, 0, (int) crc.getValue());
    out.writeBytes(c);
  }

  private static void putInt(byte[] b, int off, int v) {
    b[off] = (byte) (v >>> 24);
    b[off + 1] = (byte) (v >>> 16);
    b[off + 2] = (byte) (v >>> 8);
    b[off + 3] = (byte) v;
  }
}
