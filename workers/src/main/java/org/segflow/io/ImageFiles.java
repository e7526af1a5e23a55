package org.segflow.io;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import javax.imageio.ImageIO;
import org.segflow.InvalidInputException;

/**
 * Reads natural 2D images (PNG, TIFF, BMP) into float arrays the way nnU-Net's NaturalImage2DIO
 * does: gray becomes one channel, RGB three, RGBA four; values are not rescaled.
 */
public final class ImageFiles {

  /** Endings nnU-Net's NaturalImage2DIO reads; JPEG is left out on purpose (lossy). */
  public static final Set<String> LOSSLESS_ENDINGS = Set.of(".png", ".bmp", ".tif", ".tiff");

  private ImageFiles() {}

  public static ImageArray read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new InvalidInputException(file, "file not found");
    }
    BufferedImage img;
    try {
      img = ImageIO.read(file.toFile());
    } catch (IOException | RuntimeException e) {
      throw new InvalidInputException(file, "unreadable image: " + e.getMessage(), e);
    }
    if (img == null) {
      throw new InvalidInputException(file, "not a readable PNG, TIFF, BMP or JPEG image");
    }
    return toArray(img);
  }

  /** Pixel values as stored: palette images are expanded to their colours. */
  public static ImageArray toArray(BufferedImage img) {
    BufferedImage src = img;
    if (img.getColorModel() instanceof java.awt.image.IndexColorModel) {
      BufferedImage rgb = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_RGB);
      rgb.getGraphics().drawImage(img, 0, 0, null);
      src = rgb;
    }
    Raster r = src.getRaster();
    int c = r.getNumBands();
    int h = r.getHeight();
    int w = r.getWidth();
    float[] data = new float[c * h * w];
    float[] row = new float[w];
    for (int b = 0; b < c; b++) {
      for (int y = 0; y < h; y++) {
        r.getSamples(0, y, w, 1, b, row);
        System.arraycopy(row, 0, data, (b * h + y) * w, w);
      }
    }
    return new ImageArray(c, h, w, data);
  }

  public static String ending(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    int dot = name.lastIndexOf('.');
    return dot < 0 ? "" : name.substring(dot);
  }
}
