package org.segflow.preprocess;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Writes small 8-bit PNGs from a pixel function, for tests that read cases from disk. */
public final class TestImages {

  private TestImages() {}

  /** Pixel value of band {@code b} at (y, x). */
  @FunctionalInterface
  public interface Pixels {
    int at(int b, int y, int x);
  }

  public static Path gray(Path file, int h, int w, Pixels px) {
    return write(file, new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY), px);
  }

  public static Path rgb(Path file, int h, int w, Pixels px) {
    return write(file, new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR), px);
  }

  private static Path write(Path file, BufferedImage img, Pixels px) {
    WritableRaster r = img.getRaster();
    for (int b = 0; b < r.getNumBands(); b++) {
      for (int y = 0; y < img.getHeight(); y++) {
        for (int x = 0; x < img.getWidth(); x++) {
          r.setSample(x, y, b, px.at(b, y, x));
        }
      }
    }
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      if (!ImageIO.write(img, "png", file.toFile())) {
        throw new IllegalStateException("no PNG writer");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }
}
