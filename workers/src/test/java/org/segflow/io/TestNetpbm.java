package org.segflow.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes Netpbm files (P5 gray, P6 RGB, 8-bit) from interleaved samples, as STARE ships them. */
public final class TestNetpbm {

  private TestNetpbm() {}

  /** P6 from interleaved r,g,b samples. */
  public static Path ppm(Path file, int width, int[] rgb) {
    return write(file, "P6", width, rgb.length / 3 / width, rgb);
  }

  /** P5 from gray samples. */
  public static Path pgm(Path file, int width, int[] gray) {
    return write(file, "P5", width, gray.length / width, gray);
  }

  private static Path write(Path file, String magic, int width, int height, int[] samples) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] header = (magic + "\n# written by segflow tests\n" + width + " " + height + "\n255\n")
        .getBytes(StandardCharsets.US_ASCII);
    out.writeBytes(header);
    for (int v : samples) {
      out.write(v);
    }
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.write(file, out.toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /** Replaces {@code file} by {@code file.gz}, as STARE's website serves its files; returns the latter. */
  public static Path gzip(Path file) {
    Path gz = file.resolveSibling(file.getFileName() + ".gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write(Files.readAllBytes(file));
      Files.delete(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return gz;
  }
}
