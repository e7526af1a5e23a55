package org.segflow.pipeline;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.segflow.contract.StepRef;
import org.segflow.dataset.DatasetName;
import org.segflow.dataset.RawDataset;
import org.segflow.findbest.BestConfigurationFinder;
import org.segflow.findbest.InferenceInformation;
import org.segflow.findbest.ModelIdentifier;
import org.segflow.plan.PlansWriter;
import org.segflow.storage.SegflowPaths;
import org.segflow.train.FoldTrainingJob;

/**
 * The step cache of find-best: the key is everything find-best reads (the plans; per candidate model
 * folder its plans.json, dataset.json and every file of each fold's validation/; the folds' final
 * checkpoints as training returned them; the reference segmentations and field-of-view masks the
 * scoring compares with), the folds and options and the engine version. It is written last as
 * {@value #FILE_NAME} in results/DatasetNNN_Name/, after the chosen model was published, and removed
 * before find-best runs, as the cpu steps' keys are ({@link StepCacheRecord}).
 */
public final class FindBestStepCache {

  public static final String FILE_NAME = "segflow_step_cache_find_best.txt";

  private FindBestStepCache() {}

  /**
   * The key of find-best over {@code folds} of {@code dataset} as they are on disk now; {@code checkpoints}
   * are the folds' final checkpoints, already verified to hold the bytes they name.
   */
  public static StepCacheKey key(SegflowPaths paths, DatasetName dataset, List<Integer> folds, String plansName,
      List<StepRef> checkpoints) {
    Path ppDir = paths.preprocessed().resolve(dataset.folderName());
    StepCacheKey k = new StepCacheKey("find_best").add("dataset", dataset.folderName())
        .add("option folds", folds)
        .add("option configurations", BestConfigurationFinder.DEFAULT_CONFIGURATIONS)
        .add("option plans_name", plansName)
        .addFile("input plans", PlansWriter.plansFile(ppDir, plansName));
    checkpoints.forEach(c -> k.add("input checkpoint " + c.path(), c.sha256()));
    for (String configuration : BestConfigurationFinder.DEFAULT_CONFIGURATIONS) {
      ModelIdentifier m = ModelIdentifier.of(plansName, configuration);
      Path trainerDir = resultsDir(paths, dataset).resolve(m.identifier());
      if (!Files.isDirectory(trainerDir)) {
        continue;
      }
      String model = "input " + m.identifier() + "/";
      k.addFile(model + "plans.json", trainerDir.resolve("plans.json"))
          .addFile(model + RawDataset.DATASET_JSON, trainerDir.resolve(RawDataset.DATASET_JSON));
      for (int fold : folds) {
        String foldFolder = FoldTrainingJob.foldFolder(Integer.toString(fold));
        k.addFolder(model + foldFolder + "/validation", trainerDir.resolve(foldFolder).resolve("validation"));
      }
    }
    return k.addFolder("input gt_segmentations", ppDir.resolve("gt_segmentations"))
        .addFolder("input " + RawDataset.MASKS_TR, paths.raw().resolve(dataset.folderName()).resolve(RawDataset.MASKS_TR));
  }

  /**
   * Whether results/DatasetNNN_Name/ holds find-best's files (inference_information.json and
   * inference_instructions.txt) made from exactly {@code key}'s inputs; the chosen model's
   * cross-validation files are checked by whoever reads them.
   */
  public static boolean hit(Path resultsDir, StepCacheKey key) {
    return record(resultsDir).matches(key, List.of(resultsDir.resolve(InferenceInformation.JSON_FILE),
        resultsDir.resolve(InferenceInformation.INSTRUCTIONS_FILE)));
  }

  public static void invalidate(Path resultsDir) {
    record(resultsDir).invalidate();
  }

  public static void record(Path resultsDir, StepCacheKey key) {
    record(resultsDir).record(key);
  }

  /** results/DatasetNNN_Name/ */
  public static Path resultsDir(SegflowPaths paths, DatasetName dataset) {
    return paths.results().resolve(dataset.folderName());
  }

  private static StepCacheRecord record(Path resultsDir) {
    return new StepCacheRecord(resultsDir.resolve(FILE_NAME));
  }
}
