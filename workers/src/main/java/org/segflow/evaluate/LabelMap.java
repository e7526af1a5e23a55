package org.segflow.evaluate;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Path;
import org.segflow.InvalidInputException;
import org.segflow.io.ImageArray;
import org.segflow.io.ImageFiles;
import org.segflow.storage.AtomicFiles;

/** A 2D label map (segmentation), row-major, values 0..K; read from and written to label images. */
public record LabelMap(int height, int width, short[] labels) {

  public LabelMap {
    if (height < 1 || width < 1 || labels.length != (long) height * width) {
      throw new IllegalArgumentException("label map " + height + "x" + width + " with "
          + labels.length + " values");
    }
  }

  public boolean sameShape(LabelMap other) {
    return height == other.height && width == other.width;
  }

  public int max() {
    int max = 0;
    for (short v : labels) {
      max = Math.max(max, v);
    }
    return max;
  }

  /** Reads a single-channel label image whose pixels are whole numbers 0..32767. */
  public static LabelMap read(Path file) {
    return fromImage(ImageFiles.read(file), file);
  }

  public static LabelMap fromImage(ImageArray image, Path file) {
    if (image.channels() != 1) {
      throw new InvalidInputException(file, "expected a single-channel (grayscale) label image, got "
          + image.channels() + " channels");
    }
    float[] d = image.data();
    short[] out = new short[d.length];
    for (int i = 0; i < d.length; i++) {
      float v = d[i];
      if (v < 0 || v > Short.MAX_VALUE || v != (int) v) {
        throw new InvalidInputException(file, "label value " + v + " at pixel (" + (i / image.width())
            + ", " + (i % image.width()) + ") is not a whole number in 0.." + Short.MAX_VALUE);
      }
      out[i] = (short) v;
    }
    return new LabelMap(image.height(), image.width(), out);
  }

  /** Writes a grayscale PNG: 8 bits when every label is at most 255, else 16 bits (as nnU-Net). */
  public void writePng(Path file) {
    boolean wide = max() > 255;
    BufferedImage img = new BufferedImage(width, height,
        wide ? BufferedImage.TYPE_USHORT_GRAY : BufferedImage.TYPE_BYTE_GRAY);
    WritableRaster raster = img.getRaster();
    int[] row = new int[width];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        row[x] = labels[y * width + x];
      }
      raster.setSamples(0, y, width, 1, 0, row);
    }
    AtomicFiles.write(file, tmp -> {
      if (!javax.imageio.ImageIO.write(img, "png", tmp.toFile())) {
        throw new IOException("no PNG writer available");
      }
    });
  }
}
