package org.segflow.predict;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.segflow.InvalidInputException;
import org.segflow.dataset.DatasetLocator;
import org.segflow.dataset.DatasetName;
import org.segflow.plan.CrossValidationSplits;
import org.segflow.storage.SegflowPaths;
import org.segflow.train.Checkpoint;
import org.segflow.train.FoldTrainingJob;

/**
 * Where a trained model lives: results/DatasetXXX/Trainer__Plans__config/ with plans.json,
 * dataset.json and one checkpoint per chosen fold. Everything is checked to exist before any
 * network is built, and a missing piece names the command that produces it.
 */
public record ModelFiles(DatasetName dataset, String configuration, Path trainerDir,
    List<FoldCheckpoint> checkpoints) {

  /** The five cross-validation folds, nnU-Net's default for prediction. */
  public static final List<String> ALL_FOLDS = List.of("0", "1", "2", "3", "4");

  /** Which checkpoint of each fold to load. */
  public enum CheckpointChoice {
    FINAL(Checkpoint.FINAL), BEST(Checkpoint.BEST);

    private final String fileName;

    CheckpointChoice(String fileName) {
      this.fileName = fileName;
    }

    public String fileName() {
      return fileName;
    }

    /** {@code final} or {@code best} (also nnU-Net's file names, with .pth or .zip). */
    public static CheckpointChoice parse(String s) {
      String k = s == null ? "" : s.strip().toLowerCase(Locale.ROOT)
          .replaceFirst("^checkpoint_", "").replaceFirst("\\.(pth|zip)$", "");
      return switch (k) {
        case "final" -> FINAL;
        case "best" -> BEST;
        default -> throw new InvalidInputException("--checkpoint must be final or best, got '" + s + "'");
      };
    }
  }

  /** One fold's checkpoint file. */
  public record FoldCheckpoint(String fold, Path file) {}

  public ModelFiles {
    checkpoints = List.copyOf(checkpoints);
    if (checkpoints.isEmpty()) {
      throw new InvalidInputException(trainerDir, "no folds chosen for prediction");
    }
  }

  public Path plansFile() {
    return trainerDir.resolve("plans.json");
  }

  public Path datasetJsonFile() {
    return trainerDir.resolve("dataset.json");
  }

  /** nnU-Net's find_best_configuration output: applied when present (unless switched off). */
  public Path postprocessingFile() {
    return trainerDir.resolve("crossval_results_folds_0_1_2_3_4").resolve("postprocessing.json");
  }

  /** The same files with other checkpoints (the benchmark reuses one fold's several times). */
  public ModelFiles withCheckpoints(List<FoldCheckpoint> other) {
    return new ModelFiles(dataset, configuration, trainerDir, other);
  }

  /**
   * Finds the trained model of {@code dataset} and checks every chosen fold's checkpoint.
   *
   * @param folds "0".."4", "all", or an empty list for the five cross-validation folds
   */
  public static ModelFiles locate(SegflowPaths paths, String dataset, String configuration,
      String plansName, List<String> folds, CheckpointChoice checkpoint) {
    DatasetName name = DatasetLocator.of(paths).resolve(dataset);
    Path trainerDir = paths.results().resolve(name.folderName())
        .resolve(FoldTrainingJob.trainerFolder(plansName, configuration));
    List<String> chosen = folds == null || folds.isEmpty() ? ALL_FOLDS : folds;
    String train = "segflow train -d " + name.id() + " -c " + configuration;
    if (!Files.isDirectory(trainerDir)) {
      throw new InvalidInputException(trainerDir, "no trained model for " + name.folderName() + " "
          + configuration + ": run `" + train + " -f " + chosen.get(0) + "` (for each fold) first");
    }
    for (Path f : List.of(trainerDir.resolve("plans.json"), trainerDir.resolve("dataset.json"))) {
      if (!Files.isRegularFile(f)) {
        throw new InvalidInputException(f, "missing from the trained model: run `" + train + " -f "
            + chosen.get(0) + "` again to restore it");
      }
    }
    List<FoldCheckpoint> checkpoints = new ArrayList<>();
    for (String fold : chosen) {
      String f = fold.strip();
      if (!CrossValidationSplits.FOLD_ALL.equals(f) && !f.matches("[0-4]")) {
        throw new InvalidInputException("fold '" + fold + "' is out of range: expected 0, 1, 2, 3, 4 or all");
      }
      Path file = trainerDir.resolve(FoldTrainingJob.foldFolder(f)).resolve(checkpoint.fileName());
      if (!Files.isRegularFile(file)) {
        throw new InvalidInputException(file, "fold " + f + " has no " + checkpoint.fileName()
            + (checkpoint == CheckpointChoice.FINAL ? " (not trained, or training has not finished)" : "")
            + ": run `" + train + " -f " + f + (Files.isDirectory(file.getParent()) ? " --continue" : "")
            + "`" + (checkpoint == CheckpointChoice.FINAL ? ", or predict with --checkpoint best" : "")
            + ", or choose trained folds with -f");
      }
      checkpoints.add(new FoldCheckpoint(f, file));
    }
    return new ModelFiles(name, configuration, trainerDir, checkpoints);
  }
}
