package org.segflow.preprocess;

import java.nio.file.Path;
import java.util.List;
import org.segflow.InvalidInputException;
import org.segflow.dataset.RawCase;
import org.segflow.io.ImageArray;
import org.segflow.io.ImageFiles;

/**
 * Reads a raw case as nnU-Net's NaturalImage2DIO does: each channel file gives one channel (gray) or
 * three/four (RGB/RGBA), stacked in file order; the label file must be a single channel of the same
 * size holding integer label values.
 */
public final class CaseLoader {

  private CaseLoader() {}

  /** The image channels and the label map ({@code y * width + x}), or a null label. */
  public record LoadedCase(ImageArray image, short[] seg) {}

  public static LoadedCase load(RawCase raw) {
    ImageArray image = readImage(raw.images());
    short[] seg = raw.label() == null ? null : readLabel(raw.label(), image.height(), image.width());
    return new LoadedCase(image, seg);
  }

  /** Reads and stacks the channel files; all must have the same size and hold no NaN. */
  public static ImageArray readImage(List<Path> files) {
    if (files.isEmpty()) {
      throw new InvalidInputException("a case needs at least one image file");
    }
    ImageArray first = readChecked(files.get(0));
    if (files.size() == 1) {
      return first;
    }
    ImageArray[] parts = new ImageArray[files.size()];
    parts[0] = first;
    int channels = first.channels();
    for (int i = 1; i < parts.length; i++) {
      parts[i] = readChecked(files.get(i));
      if (!parts[i].sameGeometry(first)) {
        throw new InvalidInputException(files.get(i), "image is " + parts[i].height() + "x"
            + parts[i].width() + " (HxW) but " + files.get(0).getFileName() + " of the same case is "
            + first.height() + "x" + first.width());
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

  /** Reads a label map that must be one channel of height x width integer values. */
  public static short[] readLabel(Path file, int height, int width) {
    ImageArray label = ImageFiles.read(file);
    if (label.channels() != 1) {
      throw new InvalidInputException(file, "a segmentation must be single-channel (gray), found "
          + label.channels() + " channels");
    }
    if (label.height() != height || label.width() != width) {
      throw new InvalidInputException(file, "segmentation is " + label.height() + "x" + label.width()
          + " (HxW) but its image is " + height + "x" + width);
    }
    float[] v = label.data();
    short[] seg = new short[v.length];
    for (int i = 0; i < v.length; i++) {
      float f = v[i];
      if (f != Math.rint(f) || f < 0 || f > Short.MAX_VALUE) {
        throw new InvalidInputException(file, "segmentation values must be integer labels 0.."
            + Short.MAX_VALUE + ", found " + f + " at pixel (y=" + i / width + ", x=" + i % width + ")");
      }
      seg[i] = (short) f;
    }
    return seg;
  }

  private static ImageArray readChecked(Path file) {
    ImageArray img = ImageFiles.read(file);
    float[] v = img.data();
    for (int i = 0; i < v.length; i++) {
      if (Float.isNaN(v[i])) {
        throw new InvalidInputException(file, "image contains NaN values");
      }
    }
    return img;
  }
}
