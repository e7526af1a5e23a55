package org.segflow.io;

import java.nio.file.Path;
import java.util.Locale;
import org.segflow.InvalidInputException;

/**
 * The largest image, in pixels (width x height from the header), that is decoded at all. A PNG of a
 * few hundred kilobytes can declare 30000x30000 pixels and decode to gigabytes, so the size is checked
 * before the pixels are read. Set with the system property {@value #PROPERTY} or the environment
 * variable {@value #ENV} (the property wins); the default of 100 megapixels is far above any 2D
 * medical image while keeping one decoded image (4 bytes per sample) within a worker's heap.
 */
public final class PixelBudget {

  public static final String PROPERTY = "segflow.maxImagePixels";
  public static final String ENV = "SEGFLOW_MAX_IMAGE_PIXELS";
  public static final long DEFAULT = 100_000_000L;

  private PixelBudget() {}

  /** The configured budget; a setting that is not a positive whole number is refused, naming it. */
  public static long maxPixels() {
    String property = System.getProperty(PROPERTY);
    if (property != null) {
      return parse(property, "system property " + PROPERTY);
    }
    String env = System.getenv(ENV);
    return env == null || env.isBlank() ? DEFAULT : parse(env, "environment variable " + ENV);
  }

  /** Refuses an image whose header declares more than the budget; nothing has been decoded yet. */
  public static void check(Path file, int width, int height) {
    long max = maxPixels();
    long pixels = (long) width * height;
    if (width <= 0 || height <= 0) {
      throw new InvalidInputException(file, "image header declares " + width + "x" + height
          + " (WxH) pixels; expected a positive width and height");
    }
    if (pixels > max) {
      throw new InvalidInputException(file, "image header declares " + width + "x" + height + " (WxH) = "
          + megapixels(pixels) + " megapixels, more than the limit of " + megapixels(max)
          + " megapixels; refused before decoding (raise the limit with " + ENV + " or -D" + PROPERTY + ")");
    }
  }

  private static long parse(String value, String source) {
    try {
      long v = Long.parseLong(value.strip().replace("_", ""));
      if (v > 0) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below with the setting's name
    }
    throw new InvalidInputException(source + " is '" + value + "'; expected a positive whole number of pixels"
        + " (default " + DEFAULT + ")");
  }

  private static String megapixels(long pixels) {
    return String.format(Locale.ROOT, "%.1f", pixels / 1e6);
  }
}
