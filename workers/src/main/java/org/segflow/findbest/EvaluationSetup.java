package org.segflow.findbest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.TreeSet;
import org.segflow.InvalidInputException;
import org.segflow.dataset.DatasetJson;
import org.segflow.dataset.DatasetLabels;
import org.segflow.dataset.RawDataset;
import org.segflow.evaluate.FolderEvaluator;
import org.segflow.evaluate.LabelMap;
import org.segflow.evaluate.ReferenceSet;
import org.segflow.evaluate.Summary;

/**
 * What {@code segflow evaluate PRED REF} scores: the foreground labels and file ending come from, in
 * this order, the options given, a dataset.json in PRED (predict and the cross-validation folders copy
 * it there), a dataset.json in REF's parent (preprocessed/DatasetXXX/ for gt_segmentations, raw/DatasetXXX/
 * for labelsTr), and otherwise every non-zero value found in the reference and prediction images
 * (with file ending .png), or 1 for the users' 0/255 labels.
 *
 * @param source where the labels came from, for the report
 */
public record EvaluationSetup(List<Integer> labels, OptionalInt ignoreLabel, String fileEnding, String source) {

  public static final String DEFAULT_ENDING = ".png";

  public EvaluationSetup {
    labels = List.copyOf(labels);
    if (labels.isEmpty()) {
      throw new InvalidInputException("no foreground labels to evaluate (" + source + ")");
    }
  }

  /**
   * @param labels     explicit foreground labels, or empty
   * @param fileEnding explicit file ending, or null
   */
  public static EvaluationSetup resolve(Path predictions, Path references, List<Integer> labels, String fileEnding) {
    Path datasetJson = findDatasetJson(predictions, references);
    DatasetJson json = datasetJson == null ? null : RawDataset.readJson(datasetJson);
    String ending = fileEnding != null ? fileEnding
        : json != null && json.fileEnding() != null ? json.fileEnding() : DEFAULT_ENDING;
    if (!labels.isEmpty()) {
      for (int l : labels) {
        if (l < 1 || l > Short.MAX_VALUE) {
          throw new InvalidInputException("label " + l + " is not a foreground label (1.." + Short.MAX_VALUE + ")");
        }
      }
      return new EvaluationSetup(new ArrayList<>(new TreeSet<>(labels)), OptionalInt.empty(), ending, "--labels");
    }
    if (json != null) {
      DatasetLabels dl = DatasetLabels.of(json);
      return new EvaluationSetup(dl.foregroundLabels(),
          dl.hasIgnoreLabel() ? OptionalInt.of(dl.ignoreLabel()) : OptionalInt.empty(), ending,
          datasetJson.toString());
    }
    if (ReferenceSet.find(references, null).binaryLabels()) {
      return new EvaluationSetup(List.of(1), OptionalInt.empty(), ending,
          "the users' 0/255 labels of " + references);
    }
    return new EvaluationSetup(valuesFound(predictions, references, ending), OptionalInt.empty(), ending,
        "the values found in the images");
  }

  public FolderEvaluator evaluator() {
    return new FolderEvaluator(labels, ignoreLabel, fileEnding);
  }

  /** Scores every prediction of the folder; {@code maskDir} may be null. */
  public Summary evaluate(Path predictions, Path references, Path maskDir) {
    return evaluator().evaluate(predictions, references, maskDir);
  }

  /** Scores every prediction of the folder against a recognised reference layout. */
  public Summary evaluate(Path predictions, ReferenceSet reference, Path maskDir) {
    return evaluator().evaluate(predictions, reference, maskDir);
  }

  private static Path findDatasetJson(Path predictions, Path references) {
    Path inPredictions = predictions.resolve(RawDataset.DATASET_JSON);
    if (Files.isRegularFile(inPredictions)) {
      return inPredictions;
    }
    Path parent = references.toAbsolutePath().normalize().getParent();
    if (parent != null && Files.isRegularFile(parent.resolve(RawDataset.DATASET_JSON))) {
      return parent.resolve(RawDataset.DATASET_JSON);
    }
    return null;
  }

  private static List<Integer> valuesFound(Path predictions, Path references, String ending) {
    boolean[] seen = new boolean[Short.MAX_VALUE + 1];
    for (Path folder : List.of(references, predictions)) {
      for (String name : FolderEvaluator.listFiles(folder, ending)) {
        for (short v : LabelMap.read(folder.resolve(name)).labels()) {
          seen[v] = true;
        }
      }
    }
    List<Integer> found = new ArrayList<>();
    for (int v = 1; v < seen.length; v++) {
      if (seen[v]) {
        found.add(v);
      }
    }
    if (found.isEmpty()) {
      throw new InvalidInputException(references, "no foreground label in any reference or prediction; give "
          + "--labels");
    }
    return found;
  }
}
