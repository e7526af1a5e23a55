package org.segflow.io;

import java.nio.file.Path;
import java.util.List;
import org.segflow.InvalidInputException;

/**
 * nnU-Net's NaturalImage2DIO: 2D PNG/BMP/TIF images as (C, H, W) float arrays, one file
 * per channel group (an RGB file gives three channels), spacing always (999, 1, 1).
 */
public final class NaturalImage2DIO {

  public static final String NAME = "NaturalImage2DIO";

  /** nnU-Net's supported endings; JPEG is deliberately absent (lossy). */
  public static final List<String> SUPPORTED_ENDINGS = List.of(".png", ".bmp", ".tif");

  private NaturalImage2DIO() {}

  /** (z, y, x) spacing: the fake slice axis gets 999 so it is always the largest. */
  public static double[] spacing() {
    return new double[] {999, 1, 1};
  }

  public static boolean supportsEnding(String fileEnding) {
    return SUPPORTED_ENDINGS.contains(fileEnding.toLowerCase(java.util.Locale.ROOT));
  }

  /** Reads and stacks a case's channel files; all must have the same height and width. */
  public static ImageArray readImages(List<Path> files) {
    if (files.isEmpty()) {
      throw new IllegalArgumentException("no image files");
    }
    ImageArray first = ImageFiles.read(files.get(0));
    if (files.size() == 1) {
      return first;
    }
    ImageArray[] parts = new ImageArray[files.size()];
    parts[0] = first;
    int channels = first.channels();
    for (int i = 1; i < parts.length; i++) {
      parts[i] = ImageFiles.read(files.get(i));
      if (!parts[i].sameGeometry(first)) {
        throw new InvalidInputException(files.get(i), "is " + size(parts[i]) + " but "
            + files.get(0).getFileName() + " of the same case is " + size(first)
            + "; all channels of a case must have the same size");
      }
      channels += parts[i].channels();
    }
    float[] data = new float[channels * first.pixels()];
    int offset = 0;
    for (ImageArray part : parts) {
      System.arraycopy(part.data(), 0, data, offset, part.data().length);
      offset += part.data().length;
    }
    return new ImageArray(channels, first.height(), first.width(), data);
  }

  /** A segmentation, read like an image; values are not remapped (0/255 stays 0/255). */
  public static ImageArray readSeg(Path file) {
    return ImageFiles.read(file);
  }

  /** "W x H" for messages. */
  public static String size(ImageArray img) {
    return img.width() + "x" + img.height() + " (width x height)";
  }
}
