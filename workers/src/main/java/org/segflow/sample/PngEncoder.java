package org.segflow.sample;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A minimal PNG writer for 8-bit gray or RGB: no metadata, no timestamps, a fixed filter, so the
 * same pixels always give the same bytes (with the same zlib), and several times faster than
 * ImageIO's adaptive-filter writer. Readable by ImageIO, PIL and every other decoder.
 */
final class PngEncoder {

  private static final byte[] SIGNATURE = {(byte) 137, 80, 78, 71, 13, 10, 26, 10};

  private PngEncoder() {}

  /** Gray (channels = 1) or RGB (channels = 3) pixels, row-major and interleaved. */
  static byte[] encode(int width, int height, int channels, byte[] pixels) {
    if (channels != 1 && channels != 3) {
      throw new IllegalArgumentException("PNG encoder supports 1 or 3 channels, got " + channels);
    }
    int stride = width * channels;
    if (pixels.length != stride * height) {
      throw new IllegalArgumentException("pixel array does not match " + height + "x" + width + "x" + channels);
    }
    // photographs: the "Average" filter (difference to the mean of left and upper neighbour)
    // decorrelates smooth shading well and lets the fastest deflate level compress nearly as
    // tightly as slower ones; binary masks: no filter, their long runs compress on their own
    boolean average = channels == 3;
    byte[] raw = new byte[(stride + 1) * height];
    for (int y = 0; y < height; y++) {
      int in = y * stride;
      int out = y * (stride + 1);
      raw[out] = (byte) (average ? 3 : 0);
      if (!average) {
        System.arraycopy(pixels, in, raw, out + 1, stride);
        continue;
      }
      int above = in - stride;
      for (int i = 0; i < channels; i++) {
        int up = y > 0 ? pixels[above + i] & 0xFF : 0;
        raw[out + 1 + i] = (byte) ((pixels[in + i] & 0xFF) - (up >>> 1));
      }
      if (y == 0) {
        for (int i = channels; i < stride; i++) {
          raw[out + 1 + i] = (byte) ((pixels[in + i] & 0xFF) - ((pixels[in + i - channels] & 0xFF) >>> 1));
        }
        continue;
      }
      for (int i = channels; i < stride; i++) {
        int left = pixels[in + i - channels] & 0xFF;
        int up = pixels[above + i] & 0xFF;
        raw[out + 1 + i] = (byte) ((pixels[in + i] & 0xFF) - ((left + up) >>> 1));
      }
    }
    ByteArrayOutputStream png = new ByteArrayOutputStream(raw.length / 2 + 1024);
    png.writeBytes(SIGNATURE);
    byte[] header = new byte[13];
    putInt(header, 0, width);
    putInt(header, 4, height);
    header[8] = 8;
    header[9] = (byte) (channels == 3 ? 2 : 0);
    chunk(png, "IHDR", header, header.length);
    Deflater deflater = new Deflater(Deflater.BEST_SPEED);
    if (average) {
      // residuals of a noisy photograph hardly repeat: entropy coding alone is both faster and
      // smaller than searching for matches
      deflater.setStrategy(Deflater.HUFFMAN_ONLY);
    }
    try {
      deflater.setInput(raw);
      deflater.finish();
      byte[] buf = new byte[Math.max(1024, raw.length / 2)];
      ByteArrayOutputStream data = new ByteArrayOutputStream(buf.length);
      while (!deflater.finished()) {
        int n = deflater.deflate(buf);
        data.write(buf, 0, n);
      }
      byte[] compressed = data.toByteArray();
      chunk(png, "IDAT", compressed, compressed.length);
    } finally {
      deflater.end();
    }
    chunk(png, "IEND", new byte[0], 0);
    return png.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data, int length) {
    byte[] len = new byte[4];
    putInt(len, 0, length);
    out.writeBytes(len);
    byte[] t = type.getBytes(StandardCharsets.US_ASCII);
    out.writeBytes(t);
    out.write(data, 0, length);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data, 0, length);
    byte[] c = new byte[4];
    putInt(c, 0, (int) crc.getValue());
    out.writeBytes(c);
  }

  private static void putInt(byte[] b, int at, int v) {
    b[at] = (byte) (v >>> 24);
    b[at + 1] = (byte) (v >>> 16);
    b[at + 2] = (byte) (v >>> 8);
    b[at + 3] = (byte) v;
  }
}
