package org.segflow.registry;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * A published model: which trained folds of which configuration, with the sha256 of every file it
 * is made of, so that inference can name it and refuse to run when a file changed since. Paths are
 * relative to the results folder ('/'-separated); {@code postprocessing} is null when none was chosen.
 * {@code tta}: whether arriving images are segmented with test-time mirroring (nnU-Net's default, about
 * 3.5x the time of one pass); versions written before the field existed read as true.
 */
public record ModelVersion(
    @JsonProperty("version") String version,
    @JsonProperty("dataset") String dataset,
    @JsonProperty("configuration") String configuration,
    @JsonProperty("plans_name") String plansName,
    @JsonProperty("checkpoint") String checkpoint,
    @JsonProperty("folds") List<String> folds,
    @JsonProperty("plans") FileRef plans,
    @JsonProperty("dataset_json") FileRef datasetJson,
    @JsonProperty("postprocessing") FileRef postprocessing,
    @JsonProperty("checkpoints") List<FoldFile> checkpoints,
    @JsonProperty("crossval_dice") Double crossvalDice,
    @JsonProperty("tta") Boolean tta) {

  public ModelVersion {
    folds = List.copyOf(folds);
    checkpoints = List.copyOf(checkpoints);
    tta = tta == null || tta;
  }

  /** A file of the model and its sha256. */
  public record FileRef(@JsonProperty("path") String path, @JsonProperty("sha256") String sha256) {}

  /** One fold's checkpoint. */
  public record FoldFile(@JsonProperty("fold") String fold, @JsonProperty("path") String path,
      @JsonProperty("sha256") String sha256) {}

  /** The same model under another version name (content comparison ignores the name). */
  ModelVersion named(String name) {
    return new ModelVersion(name, dataset, configuration, plansName, checkpoint, folds, plans, datasetJson,
        postprocessing, checkpoints, crossvalDice, tta);
  }
}
