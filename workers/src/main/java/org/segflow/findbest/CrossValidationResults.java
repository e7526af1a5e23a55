package org.segflow.findbest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.segflow.InvalidInputException;
import org.segflow.dataset.DatasetName;
import org.segflow.evaluate.FolderEvaluator;
import org.segflow.evaluate.Summary;
import org.segflow.evaluate.SummaryJson;
import org.segflow.plan.ExperimentPlanner;
import org.segflow.plan.Plans;
import org.segflow.storage.AtomicFiles;
import org.segflow.train.FoldTrainingJob;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * nnU-Net's {@code accumulate_cv_results}: the validation predictions of the folds copied into one
 * folder, {@code Trainer__Plans__config/crossval_results_folds_0_1_2_3_4/} (with plans.json and
 * dataset.json), and scored there against gt_segmentations (and inside the field-of-view masks when
 * the dataset has them) into summary.json. The folder is rebuilt as a whole on every run and
 * appears only when complete.
 */
public final class CrossValidationResults {

  private static final Logger LOG = LoggerFactory.getLogger(CrossValidationResults.class);

  public static final List<Integer> ALL_FOLDS = List.of(0, 1, 2, 3, 4);
  public static final String SUMMARY = "summary.json";

  /** The merged folder, its evaluation and the merged file names (sorted). */
  public record Result(Path folder, Summary summary, List<String> files) {

    public double foregroundMeanDice() {
      return summary.foregroundMeanDice();
    }

    /** Foreground-mean Dice inside the field of view; NaN without masks. */
    public double fovForegroundMeanDice() {
      return summary.hasFov() ? summary.fovForegroundMean().dice() : Double.NaN;
    }
  }

  private CrossValidationResults() {}

  /** {@code crossval_results_folds_0_1_2_3_4} for the folds in the order given. */
  public static String folderName(List<Integer> folds) {
    return "crossval_results_folds_" + folds.stream().map(String::valueOf).collect(Collectors.joining("_"));
  }

  /** Folds 0..4 without repetition; the order given is kept, as nnU-Net keeps it in the folder name. */
  public static List<Integer> checkFolds(List<Integer> folds) {
    if (folds.isEmpty()) {
      throw new InvalidInputException("no folds given; expected some of 0 1 2 3 4");
    }
    if (new LinkedHashSet<>(folds).size() != folds.size()) {
      throw new InvalidInputException("folds " + folds + " repeat a fold");
    }
    for (int f : folds) {
      if (f < 0 || f > 4) {
        throw new InvalidInputException("fold " + f + " is out of range: cross-validation folds are 0 to 4");
      }
    }
    return List.copyOf(folds);
  }

  /** The command that trains (and validates) a missing fold. */
  static String trainCommand(DatasetName dataset, ModelIdentifier model, int fold) {
    StringBuilder s = new StringBuilder("segflow train -d ").append(dataset.id());
    if (!Plans.CONFIGURATION_2D.equals(model.configuration())) {
      s.append(" -c ").append(model.configuration());
    }
    s.append(" -f ").append(fold);
    if (!ExperimentPlanner.DEFAULT_PLANS_NAME.equals(model.plansIdentifier())) {
      s.append(" -p ").append(model.plansIdentifier());
    }
    return s.toString();
  }

  /**
   * Merges and scores the folds' validation predictions. A fold whose validation did not complete
   * (no validation/summary.json) is an error naming the training command; so is a case predicted by
   * two folds.
   */
  public static Result merge(ModelFolder model, List<Integer> folds) {
    List<Integer> checked = checkFolds(folds);
    Map<String, Path> sources = new TreeMap<>();
    for (int fold : checked) {
      Path validation = model.trainerDir().resolve(FoldTrainingJob.foldFolder(String.valueOf(fold)))
          .resolve("validation");
      if (!Files.isRegularFile(validation.resolve(SUMMARY))) {
        throw new InvalidInputException(validation, "fold " + fold + " of " + model.model().identifier()
            + " has no completed validation: run `" + trainCommand(model.dataset(), model.model(), fold)
            + "` (add --continue to resume an interrupted training)");
      }
      for (String name : FolderEvaluator.listFiles(validation, model.fileEnding())) {
        Path previous = sources.put(name, validation.resolve(name));
        if (previous != null) {
          throw new InvalidInputException(validation.resolve(name), "case " + name
              + " is predicted by more than one fold (also " + previous + "); the folds' validation sets must"
              + " not overlap");
        }
      }
    }
    if (sources.isEmpty()) {
      throw new InvalidInputException(model.trainerDir(), "folds " + checked
          + " hold no validation predictions ending in " + model.fileEnding());
    }
    List<String> names = new ArrayList<>(sources.keySet());
    warnAboutUnpredicted(model, names, checked);

    Path target = model.trainerDir().resolve(folderName(checked));
    Summary[] summary = new Summary[1];
    AtomicFiles.publishDirectory(target, tmp -> {
      for (Map.Entry<String, Path> e : sources.entrySet()) {
        Files.copy(e.getValue(), tmp.resolve(e.getKey()));
      }
      copyIfPresent(model.trainerDir().resolve("plans.json"), tmp.resolve("plans.json"));
      copyIfPresent(model.trainerDir().resolve("dataset.json"), tmp.resolve("dataset.json"));
      Summary scored = model.evaluator().evaluate(tmp, model.referenceDir(), model.maskDir(), names);
      summary[0] = Relocated.summary(scored, target);
      SummaryJson.write(tmp.resolve(SUMMARY), summary[0]);
    });
    LOG.info("{}: {} cases of folds {}, foreground-mean Dice {}", target, names.size(), checked,
        summary[0].foregroundMeanDice());
    return new Result(target, summary[0], names);
  }

  private static void warnAboutUnpredicted(ModelFolder model, List<String> names, List<Integer> folds) {
    if (folds.size() < ALL_FOLDS.size()) {
      return;
    }
    List<String> missing = new ArrayList<>(FolderEvaluator.listFiles(model.referenceDir(), model.fileEnding()));
    missing.removeAll(names);
    if (!missing.isEmpty()) {
      LOG.warn("{} training cases have no cross-validation prediction: {}", missing.size(), missing);
    }
  }

  private static void copyIfPresent(Path source, Path target) throws IOException {
    if (Files.isRegularFile(source)) {
      Files.copy(source, target);
    }
  }
}
