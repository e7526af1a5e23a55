package org.segflow.findbest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segflow.InvalidInputException;
import org.segflow.dataset.DatasetName;
import org.segflow.storage.Json;
import org.segflow.storage.SegflowPaths;

class CrossValidationResultsTest {

  @TempDir
  Path home;

  private ModelFolder model() {
    return ModelFolder.open(SegflowPaths.under(home), DatasetName.parse(ResultsFixture.DATASET),
        ModelIdentifier.of("nnUNetPlans", "2d"));
  }

  @Test
  void mergesEveryFoldOnceAndScoresAllCases() throws Exception {
    ResultsFixture.build(home, false);
    CrossValidationResults.Result r = CrossValidationResults.merge(model(), CrossValidationResults.ALL_FOLDS);
    Path folder = ResultsFixture.trainerDir(home).resolve("crossval_results_folds_0_1_2_3_4");
    assertEquals(folder, r.folder());
    List<String> expected = ResultsFixture.cases().stream().map(c -> c + ".png").toList();
    assertEquals(expected, r.files());
    List<String> pngs = new ArrayList<>();
    try (var s = Files.list(folder)) {
      s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".png")).sorted().forEach(pngs::add);
    }
    assertEquals(expected, pngs);
    assertTrue(Files.isRegularFile(folder.resolve("plans.json")));
    assertTrue(Files.isRegularFile(folder.resolve("dataset.json")));

    JsonNode summary = Json.mapper().readTree(folder.resolve("summary.json").toFile());
    assertEquals(10, summary.get("metric_per_case").size());
    for (int i = 0; i < 10; i++) {
      JsonNode c = summary.get("metric_per_case").get(i);
      assertEquals(folder.resolve(expected.get(i)).toString(), c.get("prediction_file").asText());
      assertEquals(16, c.get("metrics").get("1").get("TP").asInt());
      assertEquals(1, c.get("metrics").get("1").get("FP").asInt());
    }
    assertEquals(32.0 / 33.0, summary.get("foreground_mean").get("Dice").asDouble(), 1e-12);
    assertFalse(summary.has("segflow_fov"));
    assertEquals(32.0 / 33.0, r.foregroundMeanDice(), 1e-12);
    assertTrue(Double.isNaN(r.fovForegroundMeanDice()));

    byte[] first = Files.readAllBytes(folder.resolve("summary.json"));
    CrossValidationResults.merge(model(), CrossValidationResults.ALL_FOLDS);
    assertEquals(new String(first), Files.readString(folder.resolve("summary.json")), "re-run is byte-identical");
  }

  @Test
  void scoresInsideTheFieldOfViewWhenMasksExist() throws Exception {
    ResultsFixture.build(home, true);
    CrossValidationResults.Result r = CrossValidationResults.merge(model(), CrossValidationResults.ALL_FOLDS);
    assertEquals(1.0, r.fovForegroundMeanDice(), 0.0);
    JsonNode summary = Json.mapper().readTree(r.folder().resolve("summary.json").toFile());
    assertEquals(1.0, summary.get("segflow_fov").get("foreground_mean").get("Dice").asDouble(), 0.0);
  }

  @Test
  void foldSubsetNamesItsFolds() throws Exception {
    ResultsFixture.build(home, false);
    CrossValidationResults.Result r = CrossValidationResults.merge(model(), List.of(0, 1));
    assertEquals("crossval_results_folds_0_1", r.folder().getFileName().toString());
    assertEquals(List.of("case_00.png", "case_01.png", "case_02.png", "case_03.png"), r.files());
    assertEquals(4, r.summary().cases().size());
  }

  @Test
  void missingFoldNamesTheTrainingCommand() throws Exception {
    ResultsFixture.build(home, false);
    Files.delete(ResultsFixture.trainerDir(home).resolve("fold_3/validation/summary.json"));
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> CrossValidationResults.merge(model(), CrossValidationResults.ALL_FOLDS));
    assertTrue(e.getMessage().contains("segflow train -d 2 -f 3"), e.getMessage());
    assertFalse(Files.exists(ResultsFixture.trainerDir(home).resolve("crossval_results_folds_0_1_2_3_4")));
  }

  @Test
  void caseInTwoFoldsIsRefused() throws Exception {
    ResultsFixture.build(home, false);
    Path trainer = ResultsFixture.trainerDir(home);
    Files.copy(trainer.resolve("fold_0/validation/case_00.png"), trainer.resolve("fold_1/validation/case_00.png"));
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> CrossValidationResults.merge(model(), CrossValidationResults.ALL_FOLDS));
    assertTrue(e.getMessage().contains("case_00.png is predicted by more than one fold"), e.getMessage());
  }

  @Test
  void foldsAreChecked() {
    assertThrows(InvalidInputException.class, () -> CrossValidationResults.checkFolds(List.of(0, 5)));
    assertThrows(InvalidInputException.class, () -> CrossValidationResults.checkFolds(List.of(1, 1)));
    assertEquals("crossval_results_folds_3_1", CrossValidationResults.folderName(List.of(3, 1)));
  }
}
