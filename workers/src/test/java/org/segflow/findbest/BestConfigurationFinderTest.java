package org.segflow.findbest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segflow.InvalidInputException;
import org.segflow.evaluate.LabelMap;
import org.segflow.storage.Json;
import org.segflow.storage.SegflowPaths;

class BestConfigurationFinderTest {

  @TempDir
  Path home;

  private BestConfigurationFinder.Result find() {
    return new BestConfigurationFinder(SegflowPaths.under(home))
        .find("2", new BestConfigurationFinder.Options(List.of(), CrossValidationResults.ALL_FOLDS, "nnUNetPlans"));
  }

  @Test
  void writesInferenceInformationAndAcceptsPostprocessingThatHelps() throws Exception {
    ResultsFixture.build(home, true);
    BestConfigurationFinder.Result r = find();
    Path results = home.resolve("results").resolve(ResultsFixture.DATASET).toAbsolutePath();
    Path crossval = ResultsFixture.trainerDir(home).toAbsolutePath().resolve("crossval_results_folds_0_1_2_3_4");

    JsonNode info = Json.mapper().readTree(results.resolve("inference_information.json").toFile());
    assertEquals(32.0 / 33.0, info.get("all_results").get("nnUNetTrainer__nnUNetPlans__2d").asDouble(), 1e-12);
    JsonNode best = info.get("best_model_or_ensemble");
    assertEquals(32.0 / 33.0, best.get("result_on_crossval_pre_pp").asDouble(), 1e-12);
    assertEquals(1.0, best.get("result_on_crossval_post_pp").asDouble(), 0.0);
    assertEquals(crossval.resolve("postprocessing.json").toString(), best.get("postprocessing_file").asText());
    assertEquals(crossval.resolve("plans.json").toString(), best.get("some_plans_file").asText());
    JsonNode selected = best.get("selected_model_or_models").get(0);
    assertEquals("2d", selected.get("configuration").asText());
    assertEquals("nnUNetTrainer", selected.get("trainer").asText());
    assertEquals("nnUNetPlans", selected.get("plans_identifier").asText());
    assertEquals("[0,1,2,3,4]", info.get("folds").toString());
    assertEquals("Dataset002_Toy", info.get("dataset_name_or_id").asText());
    assertEquals(1.0, info.get("segflow_fov").get("result_on_crossval_pre_pp").asDouble(), 0.0);
    assertEquals(1.0, info.get("segflow_fov").get("result_on_crossval_post_pp").asDouble(), 0.0);

    // the decision agrees with the numbers it was based on
    JsonNode pp = Json.mapper().readTree(crossval.resolve("postprocessing.json").toFile());
    assertEquals("[\"remove_all_but_largest_component_from_segmentation\"]", pp.get("postprocessing_fns").toString());
    assertEquals(32.0 / 33.0, pp.get("input_folder").get("foreground_mean").get("Dice").asDouble(), 1e-12);
    assertEquals(1.0, pp.get("postprocessed").get("foreground_mean").get("Dice").asDouble(), 0.0);
    JsonNode ppSummary = Json.mapper().readTree(crossval.resolve("postprocessed/summary.json").toFile());
    assertEquals(best.get("result_on_crossval_post_pp").asDouble(),
        ppSummary.get("foreground_mean").get("Dice").asDouble(), 0.0);
    assertTrue(ppSummary.has("segflow_fov"));
    LabelMap post = LabelMap.read(crossval.resolve("postprocessed/case_00.png"));
    assertEquals(0, post.labels()[post.labels().length - 1], "stray pixel removed");
    assertEquals(10, ppSummary.get("metric_per_case").size());

    String text = Files.readString(results.resolve("inference_instructions.txt"));
    assertTrue(text.startsWith("***Run inference like this:***\n\n"
        + "segflow predict -d 2 -i INPUT_FOLDER -o OUTPUT_FOLDER -f 0 1 2 3 4 -c 2d -p nnUNetPlans\n"), text);
    assertTrue(text.contains("segflow apply-postprocessing -i OUTPUT_FOLDER -o OUTPUT_FOLDER_PP -pp "
        + crossval.resolve("postprocessing.json")), text);
    assertEquals(r.informationFile(), results.resolve("inference_information.json"));

    byte[] before = Files.readAllBytes(results.resolve("inference_information.json"));
    find();
    assertEquals(new String(before), Files.readString(results.resolve("inference_information.json")),
        "re-running gives byte-identical output");
  }

  @Test
  void rejectsPostprocessingThatHurts() throws Exception {
    ResultsFixture.build(home, false);
    // a second true component in every reference (and prediction): keeping the largest would lose it
    Path gt = home.resolve("preprocessed").resolve(ResultsFixture.DATASET).resolve("gt_segmentations");
    for (int i = 0; i < 10; i++) {
      String name = ResultsFixture.cases().get(i) + ".png";
      Path pred = ResultsFixture.trainerDir(home).resolve("fold_" + (i / 2)).resolve("validation").resolve(name);
      for (Path f : List.of(gt.resolve(name), pred)) {
        short[] l = LabelMap.read(f).labels();
        l[ResultsFixture.SIZE * ResultsFixture.SIZE - 1] = 1;
        l[ResultsFixture.SIZE * ResultsFixture.SIZE - 2] = 1;
        new LabelMap(ResultsFixture.SIZE, ResultsFixture.SIZE, l).writePng(f);
      }
    }
    BestConfigurationFinder.Result r = find();
    assertEquals(1.0, r.best().crossValidation().foregroundMeanDice(), 0.0);
    assertTrue(r.postprocessing().decision().postprocessing().isNone());
    JsonNode info = Json.mapper().readTree(r.informationFile().toFile());
    assertEquals(1.0, info.get("best_model_or_ensemble").get("result_on_crossval_post_pp").asDouble(), 0.0);
    assertFalse(info.has("segflow_fov"));
    String text = Files.readString(r.instructionsFile());
    assertFalse(text.contains("apply-postprocessing"), text);
    LabelMap post = LabelMap.read(r.postprocessing().postprocessedFolder().resolve("case_03.png"));
    assertEquals(1, post.labels()[post.labels().length - 1], "no postprocessing: prediction unchanged");
  }

  @Test
  void untrainedConfigurationAndMissingFoldAreClearErrors() throws Exception {
    ResultsFixture.build(home, false);
    BestConfigurationFinder finder = new BestConfigurationFinder(SegflowPaths.under(home));
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> finder.find("2",
        new BestConfigurationFinder.Options(List.of("3d_fullres"), CrossValidationResults.ALL_FOLDS, "nnUNetPlans")));
    assertTrue(e.getMessage().contains("3d_fullres"), e.getMessage());
    org.segflow.storage.AtomicFiles.deleteRecursively(ResultsFixture.trainerDir(home).resolve("fold_4"));
    e = assertThrows(InvalidInputException.class, this::find);
    assertTrue(e.getMessage().contains("segflow train -d 2 -f 4"), e.getMessage());
  }
}
