package org.segflow.pipeline;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeSet;
import org.segflow.InvalidInputException;
import org.segflow.dataset.DatasetLabels;
import org.segflow.evaluate.LabelMap;
import org.segflow.evaluate.LabelMetrics;
import org.segflow.evaluate.SegmentationMetrics;
import org.segflow.io.ImageArray;
import org.segflow.io.ImageFiles;

/**
 * The reference segmentation an ImageArrived names in label_uri, read as the model's labels and
 * scored against the prediction. A reference that cannot be scored (missing, undecodable, colour,
 * another size than the image, values that are not the dataset's labels) is an input error naming
 * the file and what was expected, never a silently missing Dice. A binary dataset also accepts the
 * 0/255 masks people draw, as {@code segflow convert} does.
 */
public final class ReferenceLabels {

  private ReferenceLabels() {}

  /** The reference of {@code uri}, checked against the image's size and the dataset's labels. */
  public static LabelMap read(String uri, DatasetLabels labels, int height, int width) {
    Path file = path(uri);
    if (!Files.isRegularFile(file)) {
      throw new InvalidInputException(file, "the event's label_uri names no file (missing or not a regular file)");
    }
    ImageArray image = ImageFiles.read(file);
    float[] gray = gray(image, file);
    if (image.height() != height || image.width() != width) {
      throw new InvalidInputException(file, "the reference labels are " + image.height() + "x" + image.width()
          + " (HxW), the image is " + height + "x" + width);
    }
    TreeSet<Integer> allowed = new TreeSet<>(labels.expectedValues());
    TreeSet<Integer> found = new TreeSet<>();
    for (float v : gray) {
      found.add(v == (int) v ? (int) v : -1);
    }
    boolean binary = labels.allLabels().equals(List.of(0, 1));
    boolean zero255 = binary && new TreeSet<>(List.of(0, 255)).containsAll(found);
    if (!allowed.containsAll(found) && !zero255) {
      throw new InvalidInputException(file, "reference label values " + found + " are not the dataset's labels "
          + allowed + (binary ? " (or 0/255)" : ""));
    }
    short[] out = new short[gray.length];
    for (int i = 0; i < gray.length; i++) {
      out[i] = (short) (zero255 && gray[i] == 255f ? 1 : (int) gray[i]);
    }
    return new LabelMap(height, width, out);
  }

  /**
   * nnU-Net's foreground mean Dice: the mean over the foreground labels present in the reference or
   * the prediction (ignore-label pixels left out); NaN when neither has any foreground.
   */
  public static double dice(LabelMap reference, LabelMap prediction, DatasetLabels labels) {
    if (!reference.sameShape(prediction)) {
      throw new IllegalArgumentException("reference " + reference.height() + "x" + reference.width()
          + " and prediction " + prediction.height() + "x" + prediction.width() + " differ in size");
    }
    SegmentationMetrics metrics = new SegmentationMetrics(labels.foregroundLabels(),
        labels.hasIgnoreLabel() ? OptionalInt.of(labels.ignoreLabel()) : OptionalInt.empty());
    Map<Integer, LabelMetrics> counts = metrics.compute(reference.labels(), prediction.labels(), null);
    List<Double> dices = new ArrayList<>();
    for (LabelMetrics m : counts.values()) {
      if (!Double.isNaN(m.dice())) {
        dices.add(m.dice());
      }
    }
    return dices.isEmpty() ? Double.NaN : dices.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
  }

  /** A file: URI or an absolute path. */
  static Path path(String uri) {
    try {
      Path p = uri.startsWith("file:") ? Path.of(URI.create(uri)) : Path.of(uri);
      if (!p.isAbsolute()) {
        throw new IllegalArgumentException("a relative path");
      }
      return p.normalize();
    } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
      throw new InvalidInputException("label_uri '" + uri + "' is not a file: URI or an absolute path ("
          + e.getMessage() + ")");
    }
  }

  /** One channel, or an RGB(A) file whose channels agree (and is opaque). */
  private static float[] gray(ImageArray image, Path file) {
    float[] d = image.data();
    int n = image.height() * image.width();
    if (image.channels() == 1) {
      return d;
    }
    for (int i = 0; i < n; i++) {
      boolean same = d[i] == d[n + i] && d[i] == d[2 * n + i];
      boolean opaque = image.channels() == 3 || d[3 * n + i] == 255f;
      if (!same || !opaque) {
        throw new InvalidInputException(file, "the reference labels are a colour image; expected a gray label map");
      }
    }
    return java.util.Arrays.copyOf(d, n);
  }
}
