package org.segflow.io;

import java.nio.file.Path;
import org.segflow.InvalidInputException;

/**
 * Netpbm images (STARE ships its photographs and hand labels as PPM), which javax.imageio cannot
 * read: P6 (binary RGB), P3 (ASCII RGB), P5 (binary gray) and P2 (ASCII gray), maxval 1..65535.
 * Samples keep their stored values; maxval above 255 means two big-endian bytes per binary sample
 * and a bit depth of 16. The header is validated and its width x height checked against the
 * {@link PixelBudget} before any pixel array is allocated; a short pixel section is refused.
 */
public final class NetpbmReader {

  /** Longest header number we accept: 65535 fits in 5 digits, a sane width in far fewer than 10. */
  private static final int MAX_DIGITS = 10;

  private final byte[] bytes;
  private final Path file;
  private int pos;

  private NetpbmReader(byte[] bytes, Path file) {
    this.bytes = bytes;
    this.file = file;
  }

  /** Whether {@code bytes} start with a magic number this reader decodes (P2, P3, P5, P6). */
  public static boolean recognises(byte[] bytes) {
    return bytes.length >= 2 && bytes[0] == 'P'
        && (bytes[1] == '2' || bytes[1] == '3' || bytes[1] == '5' || bytes[1] == '6');
  }

  public static DecodedImage decode(byte[] bytes, Path file) {
    return new NetpbmReader(bytes, file).read();
  }

  /** What the header declares; {@code pos} is then at the first sample (binary: after the one separator). */
  private record Header(char kind, int width, int height, long maxval, int channels, long samples) {

    boolean binary() {
      return kind == '5' || kind == '6';
    }

    int bytesPerSample() {
      return maxval > 255 ? 2 : 1;
    }
  }

  /**
   * The size in bytes of a whole Netpbm file whose first bytes are {@code head}, from its header
   * (checked, budget included); for ASCII files an upper bound (6 bytes per sample: five digits
   * and a separator). Lets a compressed file be inflated only as far as its header allows.
   */
  public static long declaredFileSize(byte[] head, Path file) {
    NetpbmReader r = new NetpbmReader(head, file);
    Header h = r.header();
    return h.binary() ? r.pos + h.samples() * h.bytesPerSample() : r.pos + 6 * h.samples();
  }

  private Header header() {
    if (!recognises(bytes)) {
      throw bad("not a Netpbm image; expected the magic number P2, P3, P5 or P6");
    }
    char kind = (char) bytes[1];
    pos = 2;
    long width = headerNumber("width");
    long height = headerNumber("height");
    long maxval = headerNumber("maxval");
    if (width > Integer.MAX_VALUE || height > Integer.MAX_VALUE) {
      throw bad("header declares " + width + "x" + height + " (WxH) pixels; too large to be an image");
    }
    PixelBudget.check(file, (int) width, (int) height);
    if (maxval < 1 || maxval > 65535) {
      throw bad("header declares maxval " + maxval + "; expected 1..65535");
    }
    int channels = kind == '3' || kind == '6' ? 3 : 1;
    long samples = channels * width * height;
    if (samples > Integer.MAX_VALUE - 8) {
      throw bad("header declares " + width + "x" + height + " pixels x " + channels
          + " channels; too many samples to hold in one array");
    }
    Header h = new Header(kind, (int) width, (int) height, maxval, channels, samples);
    if (h.binary()) {
      pos++; // exactly one whitespace byte separates maxval from the pixels
    }
    return h;
  }

  private DecodedImage read() {
    Header header = header();
    long width = header.width();
    long height = header.height();
    long maxval = header.maxval();
    int channels = header.channels();
    long samples = header.samples();
    boolean binary = header.binary();
    int bytesPerSample = header.bytesPerSample();
    if (binary) {
      long need = samples * bytesPerSample;
      if (bytes.length - (long) pos < need) {
        throw bad("pixel data is truncated: " + width + "x" + height + " pixels need " + need
            + " bytes, the file holds " + Math.max(0, bytes.length - pos));
      }
    }
    int w = (int) width;
    int h = (int) height;
    int n = w * h;
    float[] data = new float[(int) samples];
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < channels; c++) {
        int v = binary ? binarySample(bytesPerSample) : asciiSample();
        if (v > maxval) {
          throw bad("sample " + v + " at pixel " + i + " exceeds maxval " + maxval);
        }
        data[c * n + i] = v; // interleaved in the file, channel-major in the array
      }
    }
    return new DecodedImage(new ImageArray(channels, h, w, data), bytesPerSample == 2 ? 16 : 8);
  }

  private int binarySample(int size) {
    int v = bytes[pos++] & 0xFF;
    if (size == 2) {
      v = (v << 8) | (bytes[pos++] & 0xFF);
    }
    return v;
  }

  private int asciiSample() {
    skipSpaceAndComments();
    if (pos >= bytes.length) {
      throw bad("pixel data is truncated (ASCII samples end early)");
    }
    return (int) number("sample");
  }

  /** A header number after whitespace and '#' comments. */
  private long headerNumber(String what) {
    skipSpaceAndComments();
    if (pos >= bytes.length) {
      throw bad("header ends before its " + what + "; expected P6/P5/P3/P2, width, height, maxval");
    }
    return number(what);
  }

  private long number(String what) {
    int start = pos;
    long v = 0;
    while (pos < bytes.length && bytes[pos] >= '0' && bytes[pos] <= '9') {
      if (pos - start >= MAX_DIGITS) {
        throw bad("the " + what + " has more than " + MAX_DIGITS + " digits");
      }
      v = v * 10 + (bytes[pos++] - '0');
    }
    if (pos == start) {
      throw bad("expected a number for the " + what + " at byte " + pos + ", found '"
          + (char) (bytes[pos] & 0xFF) + "'");
    }
    return v;
  }

  private void skipSpaceAndComments() {
    while (pos < bytes.length) {
      byte b = bytes[pos];
      if (b == '#') {
        while (pos < bytes.length && bytes[pos] != '\n' && bytes[pos] != '\r') {
          pos++;
        }
      } else if (b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\f' || b == 0x0B) {
        pos++;
      } else {
        return;
      }
    }
  }

  private InvalidInputException bad(String why) {
    return new InvalidInputException(file, why);
  }
}
