package org.segflow.io;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.segflow.InvalidInputException;

/**
 * The image file formats segflow knows, by file ending. JPEG is accepted for source photographs
 * (they are converted to PNG) but never for labels or masks: lossy compression smears label values
 * at every edge, which is why nnU-Net's NaturalImage2DIO leaves it out.
 */
public enum ImageFormat {
  PNG(false, ".png"),
  TIFF(false, ".tif", ".tiff"),
  BMP(false, ".bmp"),
  /** Palette images; the DRIVE release ships its labels and masks as GIF. */
  GIF(false, ".gif"),
  /** Netpbm, as the STARE release ships its photographs and labels (also gzipped). */
  NETPBM(false, ".ppm", ".pgm"),
  JPEG(true, ".jpg", ".jpeg");

  private final boolean lossy;
  private final List<String> endings;

  ImageFormat(boolean lossy, String... endings) {
    this.lossy = lossy;
    this.endings = List.of(endings);
  }

  public boolean lossy() {
    return lossy;
  }

  /** Lower-case endings with the dot, e.g. {@code .tif}, {@code .tiff}. */
  public List<String> endings() {
    return endings;
  }

  /** The format of a file by its ending (case-insensitive), if it is an image format we know. */
  public static Optional<ImageFormat> of(Path file) {
    String ending = ImageFiles.ending(file);
    return Arrays.stream(values()).filter(f -> f.endings.contains(ending))
        .filter(f -> f == NETPBM || !ImageFiles.gzipped(file)) // gzip: only as STARE ships PPM
        .findFirst();
  }

  /** The ending as the user sees it, e.g. {@code .png.gz}. */
  private static String shown(Path file) {
    return ImageFiles.ending(file) + (ImageFiles.gzipped(file) ? ".gz" : "");
  }

  /** A source image: any known format, JPEG included. */
  public static ImageFormat requireSourceImage(Path file) {
    return of(file).orElseThrow(() -> new InvalidInputException(file,
        "unsupported image format '" + shown(file) + "'; expected " + allEndings()));
  }

  /**
   * A label map or mask ({@code role} names it in the message, e.g. "label"): a lossless format.
   */
  public static ImageFormat requireLossless(Path file, String role) {
    ImageFormat format = of(file).orElseThrow(() -> new InvalidInputException(file,
        "unsupported " + role + " format '" + shown(file)
        + "'; expected .png, .tif, .bmp, .gif, .ppm or .pgm (.ppm.gz, .pgm.gz)"));
    if (format.lossy) {
      throw new InvalidInputException(file, "JPEG is not accepted for a " + role
          + ": lossy compression changes the values along every edge. Save the " + role
          + " as PNG (or TIFF/BMP/GIF/PPM).");
    }
    return format;
  }

  private static String allEndings() {
    StringBuilder sb = new StringBuilder();
    for (ImageFormat f : values()) {
      for (String e : f.endings) {
        sb.append(sb.length() == 0 ? "" : ", ").append(e);
      }
    }
    return sb.toString();
  }
}
