package org.segflow.dataset;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.segflow.InvalidInputException;
import org.segflow.io.ImageArray;

/**
 * The users' labels and masks as 0/1, the one rule of convert and of evaluate against the users'
 * layout (so both score the same pixels): one gray channel (an opaque RGB(A) file whose R, G and B
 * agree counts as gray), values within {0, 1} kept, within {0, 255} mapped 255 -> 1, anything else
 * rejected.
 */
public final class BinaryLabels {

  private BinaryLabels() {}

  /**
   * @param role      "label" or "mask", for messages
   * @param labelName what 1 means in a label (e.g. "vessel"), for messages
   */
  public static ImageArray zeroOne(ImageArray img, Path file, String role, String labelName) {
    ImageArray gray = grayOf(img, file, role);
    PixelValues values = PixelValues.of(gray);
    if (values.subsetOf(List.of(0, 1))) {
      return gray;
    }
    if (!values.subsetOf(List.of(0, 255))) {
      throw new InvalidInputException(file, role + " values must be 0/255 or 0/1"
          + ("label".equals(role) ? " (255 or 1 = " + labelName + ")" : "")
          + "; found values " + values);
    }
    float[] src = gray.data();
    float[] out = new float[src.length];
    for (int i = 0; i < src.length; i++) {
      out[i] = src[i] == 255f ? 1f : 0f;
    }
    return new ImageArray(1, gray.height(), gray.width(), out);
  }

  private static ImageArray grayOf(ImageArray img, Path file, String role) {
    if (img.channels() == 1) {
      return img;
    }
    int n = img.pixels();
    float[] d = img.data();
    for (int i = 0; i < n; i++) {
      boolean gray = d[i] == d[n + i] && d[i] == d[2 * n + i];
      boolean opaque = img.channels() == 3 || d[3 * n + i] == 255f;
      if (!gray || !opaque) {
        throw new InvalidInputException(file, "the " + role + " is a colour image; it must be a"
            + " gray image with values 0/255 or 0/1");
      }
    }
    return new ImageArray(1, img.height(), img.width(), Arrays.copyOf(d, n));
  }
}
