package org.segflow.findbest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segflow.evaluate.FolderEvaluator;
import org.segflow.pipeline.TrainedSample;
import org.segflow.storage.Json;
import org.segflow.storage.SegflowPaths;

/** find-best on five really trained (tiny) folds of the synthetic sample. */
class FindBestIntegrationTest {

  @TempDir
  Path home;

  @Test
  void crossValidationCoversEveryTrainingCaseOnceAndFindBestWritesItsFiles() throws Exception {
    TrainedSample.train(home, 7, 1, 2, "0", "1", "2", "3", "4");
    BestConfigurationFinder.Result r = new BestConfigurationFinder(SegflowPaths.under(home))
        .find("7", new BestConfigurationFinder.Options(List.of("2d"), CrossValidationResults.ALL_FOLDS, "nnUNetPlans"));

    Path gt = home.resolve("preprocessed/Dataset007_Sample/gt_segmentations");
    List<String> training = FolderEvaluator.listFiles(gt, ".png");
    assertEquals(10, training.size());
    Path crossval = r.best().crossValidation().folder();
    assertEquals(training, FolderEvaluator.listFiles(crossval, ".png"), "every training case exactly once");
    JsonNode summary = Json.mapper().readTree(crossval.resolve("summary.json").toFile());
    assertEquals(10, summary.get("metric_per_case").size());
    assertTrue(summary.has("segflow_fov"), "the sample has field-of-view masks");

    JsonNode info = Json.mapper().readTree(r.informationFile().toFile());
    double pre = info.get("best_model_or_ensemble").get("result_on_crossval_pre_pp").asDouble();
    double post = info.get("best_model_or_ensemble").get("result_on_crossval_post_pp").asDouble();
    assertEquals(summary.get("foreground_mean").get("Dice").asDouble(), pre, 0.0);
    boolean none = r.postprocessing().decision().postprocessing().isNone();
    assertTrue(none ? post == pre : post > pre, "accepted only when Dice strictly improves: " + pre
        + " -> " + post);
    assertTrue(info.has("segflow_fov"));
    assertTrue(Files.readString(r.instructionsFile()).contains(
        "segflow predict -d 7 -i INPUT_FOLDER -o OUTPUT_FOLDER -f 0 1 2 3 4 -c 2d -p nnUNetPlans"));
  }
}
