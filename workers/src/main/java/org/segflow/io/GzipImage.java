package org.segflow.io;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.segflow.InvalidInputException;

/**
 * Gzipped Netpbm images ({@code .ppm.gz}, {@code .pgm.gz}), the form the STARE release ships. A few
 * kilobytes of gzip can inflate to gigabytes, so only the header is inflated first; the rest is
 * inflated no further than the size that header declares, which has passed the {@link PixelBudget}.
 */
final class GzipImage {

  /** Enough for any sane Netpbm header, comments included. */
  private static final int HEAD = 4096;

  private GzipImage() {}

  static boolean recognises(byte[] bytes) {
    return bytes.length >= 2 && (bytes[0] & 0xFF) == 0x1F && (bytes[1] & 0xFF) == 0x8B;
  }

  /** The inflated Netpbm bytes of a gzipped file. */
  static byte[] inflate(byte[] bytes, Path file) {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
      byte[] head = in.readNBytes(HEAD);
      if (!NetpbmReader.recognises(head)) {
        throw new InvalidInputException(file, "a gzip file that holds no PPM/PGM image; only"
            + " gzipped Netpbm (.ppm.gz, .pgm.gz) is read, other images must be decompressed");
      }
      long size = NetpbmReader.declaredFileSize(head, file);
      ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(size, Integer.MAX_VALUE - 8));
      out.write(head, 0, (int) Math.min(head.length, size));
      if (head.length < size) {
        out.write(in.readNBytes((int) Math.min(size - head.length, Integer.MAX_VALUE - 8)));
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new InvalidInputException(file, "unreadable gzip file: " + e.getMessage(), e);
    }
  }
}
