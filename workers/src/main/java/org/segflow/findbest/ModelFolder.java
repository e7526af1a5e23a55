package org.segflow.findbest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import org.segflow.InvalidInputException;
import org.segflow.dataset.DatasetJson;
import org.segflow.dataset.DatasetLabels;
import org.segflow.dataset.DatasetName;
import org.segflow.dataset.RawDataset;
import org.segflow.evaluate.FolderEvaluator;
import org.segflow.storage.SegflowPaths;

/**
 * A trained model's results folder with what evaluating its predictions needs: labels and file
 * ending from the dataset.json training copied there, the references (preprocessed gt_segmentations)
 * and the field-of-view masks (raw masksTr, null when the dataset has none).
 */
public record ModelFolder(DatasetName dataset, ModelIdentifier model, Path trainerDir, DatasetLabels labels,
    String fileEnding, Path referenceDir, Path maskDir) {

  public static ModelFolder open(SegflowPaths paths, DatasetName dataset, ModelIdentifier model) {
    Path trainerDir = paths.results().resolve(dataset.folderName()).resolve(model.identifier());
    Path datasetJson = trainerDir.resolve(RawDataset.DATASET_JSON);
    if (!Files.isRegularFile(datasetJson)) {
      throw new InvalidInputException(trainerDir, "no trained model (dataset.json missing): run `"
          + CrossValidationResults.trainCommand(dataset, model, 0) + "` for every fold first");
    }
    DatasetJson json = RawDataset.readJson(datasetJson);
    DatasetLabels labels = DatasetLabels.of(json);
    if (labels.regionBased()) {
      throw new InvalidInputException(datasetJson, "region-based labels are not supported by segflow");
    }
    String ending = json.fileEnding() == null ? ".png" : json.fileEnding();
    Path gt = paths.preprocessed().resolve(dataset.folderName()).resolve("gt_segmentations");
    if (!Files.isDirectory(gt)) {
      throw new InvalidInputException(gt, "reference segmentations missing: run `segflow "
          + "plan-and-preprocess -d " + dataset.id() + "` first");
    }
    Path masks = paths.raw().resolve(dataset.folderName()).resolve(RawDataset.MASKS_TR);
    return new ModelFolder(dataset, model, trainerDir, labels, ending, gt,
        Files.isDirectory(masks) ? masks : null);
  }

  public List<Integer> foregroundLabels() {
    return labels.foregroundLabels();
  }

  public OptionalInt ignoreLabel() {
    return labels.hasIgnoreLabel() ? OptionalInt.of(labels.ignoreLabel()) : OptionalInt.empty();
  }

  public FolderEvaluator evaluator() {
    return new FolderEvaluator(foregroundLabels(), ignoreLabel(), fileEnding);
  }
}
