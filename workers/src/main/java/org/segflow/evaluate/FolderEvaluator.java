package org.segflow.evaluate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.segflow.InvalidInputException;
import org.segflow.dataset.BinaryLabels;
import org.segflow.io.ImageFiles;

/**
 * nnU-Net's {@code compute_metrics_on_folder} for label images: predictions are matched to references
 * (and optional field-of-view masks) by file name. {@code labels} must be all of the dataset's
 * foreground labels: any other value in a file (e.g. 255 in a 0/255 mask) is refused, because it
 * would silently score as background.
 */
public final class FolderEvaluator {

  private final SegmentationMetrics metrics;
  private final String fileEnding;
  private final boolean[] allowed = new boolean[Short.MAX_VALUE + 1];

  public FolderEvaluator(List<Integer> labels, OptionalInt ignoreLabel, String fileEnding) {
    this.metrics = new SegmentationMetrics(labels, ignoreLabel);
    this.fileEnding = fileEnding;
    allowed[0] = true;
    labels.forEach(l -> allowed[l] = true);
    ignoreLabel.ifPresent(l -> allowed[l] = true);
  }

  public SegmentationMetrics metrics() {
    return metrics;
  }

  /**
   * Evaluates every prediction in {@code predictionFolder} (as nnU-Net does, so a fold's validation
   * folder can be scored against all of gt_segmentations); each needs a reference, and a mask when
   * {@code maskFolder} is not null.
   */
  public Summary evaluate(Path predictionFolder, Path referenceFolder, Path maskFolder) {
    List<String> names = listFiles(predictionFolder);
    if (names.isEmpty()) {
      throw new InvalidInputException(predictionFolder, "no prediction files ending in " + fileEnding);
    }
    return evaluate(predictionFolder, referenceFolder, maskFolder, names);
  }

  /** Evaluates the named files; a missing prediction, reference or mask is an error naming it. */
  public Summary evaluate(Path predictionFolder, Path referenceFolder, Path maskFolder,
      List<String> fileNames) {
    if (fileNames.isEmpty()) {
      throw new IllegalArgumentException("no files to evaluate");
    }
    List<CaseEvaluation> cases = new ArrayList<>();
    for (String name : fileNames) {
      Path prediction = predictionFolder.resolve(name);
      Path reference = referenceFolder.resolve(name);
      Path mask = maskFolder == null ? null : maskFolder.resolve(name);
      requireFile(prediction, "prediction");
      requireFile(reference, "reference segmentation");
      if (mask != null) {
        requireFile(mask, "field-of-view mask");
      }
      cases.add(evaluateCase(prediction, reference, mask));
    }
    requireSharedLabels(cases);
    return new Summary(metrics.labels(), cases);
  }

  /**
   * Evaluates every prediction in {@code predictionFolder} against {@code reference}; an nnU-Net
   * labels folder as {@link #evaluate(Path, Path, Path)} with {@code maskDir}, the users' layouts
   * with their 0/255 labels and own masks.
   */
  public Summary evaluate(Path predictionFolder, ReferenceSet reference, Path maskDir) {
    if (!reference.binaryLabels()) {
      return evaluate(predictionFolder, reference.root(), maskDir);
    }
    List<String> names = listFiles(predictionFolder);
    if (names.isEmpty()) {
      throw new InvalidInputException(predictionFolder, "no prediction files ending in " + fileEnding);
    }
    List<CaseEvaluation> cases = new ArrayList<>();
    reference.pair(predictionFolder, names, fileEnding).forEach((name, c) ->
        cases.add(evaluateCase(predictionFolder.resolve(name), c.label(), c.mask(), true)));
    return new Summary(metrics.labels(), cases);
  }

  /**
   * Refuses predictions and references whose foreground values have nothing in common (0/255 masks
   * against 0/1 labels when the labels were taken from the images): every Dice would be 0 and the
   * summary would not say why.
   */
  private static void requireSharedLabels(List<CaseEvaluation> cases) {
    Map<Integer, String> predicted = new TreeMap<>();
    Map<Integer, String> referenced = new TreeMap<>();
    for (CaseEvaluation c : cases) {
      c.metrics().forEach((label, m) -> {
        if (m.nPred() > 0) {
          predicted.putIfAbsent(label, c.predictionFile());
        }
        if (m.nRef() > 0) {
          referenced.putIfAbsent(label, c.referenceFile());
        }
      });
    }
    if (predicted.isEmpty() || referenced.isEmpty()
        || !Collections.disjoint(predicted.keySet(), referenced.keySet())) {
      return;
    }
    String predictionFile = predicted.values().iterator().next();
    throw new InvalidInputException(Path.of(predictionFile), "holds label value(s) " + predicted.keySet()
        + " but the references hold only " + referenced.keySet() + " (e.g. " + referenced.values().iterator().next()
        + "): no label is in both, so every Dice would be 0. Predictions and references must use the same"
        + " values 0..K (a 0/255 mask needs 255 converted to 1), or give the dataset's labels with --labels");
  }

  /** One case; {@code mask} may be null. */
  public CaseEvaluation evaluateCase(Path prediction, Path reference, Path mask) {
    return evaluateCase(prediction, reference, mask, false);
  }

  /** One case; a {@code binaryReference} is a users' 0/255 or 0/1 label, read as 0/1. */
  private CaseEvaluation evaluateCase(Path prediction, Path reference, Path mask,
      boolean binaryReference) {
    LabelMap ref = binaryReference ? checked(LabelMap.fromImage(BinaryLabels.zeroOne(
        ImageFiles.read(reference), reference, "label", "foreground"), reference), reference)
        : readChecked(reference);
    LabelMap pred = readChecked(prediction);
    if (!pred.sameShape(ref)) {
      throw new InvalidInputException(prediction, "is " + pred.height() + "x" + pred.width()
          + " but its reference " + reference + " is " + ref.height() + "x" + ref.width());
    }
    Map<Integer, LabelMetrics> all = metrics.compute(ref.labels(), pred.labels(), null);
    CaseEvaluation.FovEvaluation fov = null;
    if (mask != null) {
      FovMask m = FovMask.read(mask);
      if (m.height() != ref.height() || m.width() != ref.width()) {
        throw new InvalidInputException(mask, "is " + m.height() + "x" + m.width()
            + " but the reference " + reference + " is " + ref.height() + "x" + ref.width());
      }
      fov = new CaseEvaluation.FovEvaluation(mask.toString(),
          metrics.compute(ref.labels(), pred.labels(), m.inside()));
    }
    return new CaseEvaluation(prediction.toString(), reference.toString(), all, fov);
  }

  /** Sorted names of the regular, non-hidden files of {@code folder} ending in the file ending. */
  public List<String> listFiles(Path folder) {
    return listFiles(folder, fileEnding);
  }

  /** Sorted names of the regular, non-hidden files of {@code folder} ending in {@code fileEnding}. */
  public static List<String> listFiles(Path folder, String fileEnding) {
    if (!Files.isDirectory(folder)) {
      throw new InvalidInputException(folder, "folder not found");
    }
    TreeSet<String> names = new TreeSet<>();
    try (Stream<Path> s = Files.list(folder)) {
      s.filter(Files::isRegularFile).map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(fileEnding) && !n.startsWith("."))
          .forEach(names::add);
    } catch (IOException e) {
      throw new UncheckedIOException("could not list " + folder, e);
    }
    return new ArrayList<>(names);
  }

  /** Reads a label image, refusing values that are neither 0, an evaluated label nor the ignore label. */
  public LabelMap readChecked(Path file) {
    return checked(LabelMap.read(file), file);
  }

  private LabelMap checked(LabelMap map, Path file) {
    for (short v : map.labels()) {
      if (!allowed[v]) {
        List<Integer> ok = new ArrayList<>();
        for (int i = 0; i < allowed.length; i++) {
          if (allowed[i]) {
            ok.add(i);
          }
        }
        throw new InvalidInputException(file, "label value " + v + " is not one of the dataset's labels "
            + ok + "; label images must hold 0..K (a 0/255 mask needs 255 converted to 1)");
      }
    }
    return map;
  }

  private static void requireFile(Path file, String what) {
    if (!Files.isRegularFile(file)) {
      throw new InvalidInputException(file, "missing " + what);
    }
  }
}
