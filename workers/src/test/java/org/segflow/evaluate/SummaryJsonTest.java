package org.segflow.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segflow.storage.Json;

class SummaryJsonTest {

  /**
   * nnU-Net's compute_metrics / compute_metrics_on_folder re-run in Python (numpy 2.4) on the three
   * cases below and saved with json.dumps(sort_keys=True, indent=4). Case B has no label 1 at all
   * (NaN Dice, skipped by nanmean); foreground_mean is the plain mean of the two label means.
   */
  private static final String NNUNET_SUMMARY = """
      {
          "foreground_mean": {
              "Dice": 0.6071428571428571,
              "FN": 0.8333333333333333,
              "FP": 0.3333333333333333,
              "IoU": 0.4930555555555556,
              "TN": 9.333333333333334,
              "TP": 1.5,
              "n_pred": 1.8333333333333335,
              "n_ref": 2.3333333333333335
          },
          "mean": {
              "1": {
                  "Dice": 0.7619047619047619,
                  "FN": 0.6666666666666666,
                  "FP": 0.3333333333333333,
                  "IoU": 0.625,
                  "TN": 9.333333333333334,
                  "TP": 1.6666666666666667,
                  "n_pred": 2.0,
                  "n_ref": 2.3333333333333335
              },
              "2": {
                  "Dice": 0.4523809523809524,
                  "FN": 1.0,
                  "FP": 0.3333333333333333,
                  "IoU": 0.3611111111111111,
                  "TN": 9.333333333333334,
                  "TP": 1.3333333333333333,
                  "n_pred": 1.6666666666666667,
                  "n_ref": 2.3333333333333335
              }
          },
          "metric_per_case": [
              {
                  "metrics": {
                      "1": {
                          "Dice": 0.6666666666666666,
                          "FN": 1,
                          "FP": 1,
                          "IoU": 0.5,
                          "TN": 8,
                          "TP": 2,
                          "n_pred": 3,
                          "n_ref": 3
                      },
                      "2": {
                          "Dice": 0.8571428571428571,
                          "FN": 1,
                          "FP": 0,
                          "IoU": 0.75,
                          "TN": 8,
                          "TP": 3,
                          "n_pred": 3,
                          "n_ref": 4
                      }
                  },
                  "prediction_file": "pred/A.png",
                  "reference_file": "ref/A.png"
              },
              {
                  "metrics": {
                      "1": {
                          "Dice": NaN,
                          "FN": 0,
                          "FP": 0,
                          "IoU": NaN,
                          "TN": 12,
                          "TP": 0,
                          "n_pred": 0,
                          "n_ref": 0
                      },
                      "2": {
                          "Dice": 0.5,
                          "FN": 1,
                          "FP": 1,
                          "IoU": 0.3333333333333333,
                          "TN": 9,
                          "TP": 1,
                          "n_pred": 2,
                          "n_ref": 2
                      }
                  },
                  "prediction_file": "pred/B.png",
                  "reference_file": "ref/B.png"
              },
              {
                  "metrics": {
                      "1": {
                          "Dice": 0.8571428571428571,
                          "FN": 1,
                          "FP": 0,
                          "IoU": 0.75,
                          "TN": 8,
                          "TP": 3,
                          "n_pred": 3,
                          "n_ref": 4
                      },
                      "2": {
                          "Dice": 0.0,
                          "FN": 1,
                          "FP": 0,
                          "IoU": 0.0,
                          "TN": 11,
                          "TP": 0,
                          "n_pred": 0,
                          "n_ref": 1
                      }
                  },
                  "prediction_file": "pred/C.png",
                  "reference_file": "ref/C.png"
              }
          ]
      }
      """;

  static final short[][] REFS = {
      {0, 1, 1, 0, 0, 1, 2, 2, 0, 0, 2, 2},
      {0, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 0},
      {1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0, 2}};
  static final short[][] PREDS = {
      {0, 1, 0, 0, 1, 1, 2, 2, 0, 0, 2, 0},
      {0, 0, 0, 0, 0, 2, 0, 0, 2, 0, 0, 0},
      {1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0}};

  private static Summary threeCases(boolean[] fov) {
    SegmentationMetrics metrics = new SegmentationMetrics(List.of(1, 2), OptionalInt.empty());
    List<CaseEvaluation> cases = new ArrayList<>();
    String[] names = {"A", "B", "C"};
    for (int i = 0; i < 3; i++) {
      CaseEvaluation.FovEvaluation f = fov == null ? null : new CaseEvaluation.FovEvaluation(
          "fov/" + names[i] + ".png", metrics.compute(REFS[i], PREDS[i], fov));
      cases.add(new CaseEvaluation("pred/" + names[i] + ".png", "ref/" + names[i] + ".png",
          metrics.compute(REFS[i], PREDS[i], null), f));
    }
    return new Summary(List.of(1, 2), cases);
  }

  @Test
  void summaryIsByteIdenticalToNnUnets() {
    String json = Json.write(SummaryJson.toJson(threeCases(null)));
    assertEquals(NNUNET_SUMMARY, json);
  }

  @Test
  void meansFollowNanmeanAndPlainMean() {
    Summary s = threeCases(null);
    assertEquals((2.0 / 3 + 6.0 / 7) / 2, s.mean(1).dice(), 1e-15); // case B's NaN skipped
    assertEquals((s.mean(1).dice() + s.mean(2).dice()) / 2, s.foregroundMeanDice(), 1e-15);
    // a label that is absent everywhere has a NaN mean, and then the foreground mean is NaN too
    short[] z = new short[4];
    SegmentationMetrics m = new SegmentationMetrics(List.of(1, 2), OptionalInt.empty());
    Summary absent = new Summary(List.of(1, 2), List.of(
        new CaseEvaluation("p", "r", m.compute(new short[] {1, 0, 0, 0}, new short[] {1, 0, 0, 0}, null)),
        new CaseEvaluation("p2", "r2", m.compute(z, z, null))));
    assertEquals(1.0, absent.mean(1).dice(), 0.0);
    assertTrue(Double.isNaN(absent.mean(2).dice()));
    assertTrue(Double.isNaN(absent.foregroundMeanDice()));
  }

  @Test
  void fieldOfViewGoesToItsOwnSectionAndLeavesNnUnetKeysAlone(@TempDir Path dir) throws Exception {
    boolean[] fov = new boolean[12];
    for (int i = 0; i < 12; i++) {
      fov[i] = i % 4 != 0;
    }
    Summary s = threeCases(fov);
    Path file = dir.resolve("summary.json");
    SummaryJson.write(file, s);
    JsonNode root = Json.mapper().readTree(Files.readAllBytes(file));
    List<String> keys = new ArrayList<>();
    root.fieldNames().forEachRemaining(keys::add);
    assertEquals(List.of("foreground_mean", "mean", "metric_per_case", "segflow_fov"), keys);
    // the nnU-Net part is unchanged by the mask
    String withoutFov = Json.write(SummaryJson.toJson(threeCases(null)));
    JsonNode plain = Json.mapper().readTree(withoutFov);
    for (String k : List.of("foreground_mean", "mean", "metric_per_case")) {
      assertEquals(plain.get(k).toString(), root.get(k).toString());
    }
    JsonNode fovCase = root.get("segflow_fov").get("metric_per_case").get(0);
    assertEquals("fov/A.png", fovCase.get("mask_file").asText());
    // case A inside the FOV: label 1 loses the FP in the first column
    assertEquals(0, fovCase.get("metrics").get("1").get("FP").asInt());
    assertEquals(0.8, fovCase.get("metrics").get("1").get("Dice").asDouble(), 0.0);
    assertEquals(s.fovForegroundMean().dice(),
        root.get("segflow_fov").get("foreground_mean").get("Dice").asDouble(), 0.0);

    Summary back = SummaryJson.read(file);
    assertEquals(s, back);
    assertFalse(SummaryJson.read(writeAndReturn(dir, threeCases(null))).hasFov());
  }

  private static Path writeAndReturn(Path dir, Summary s) {
    Path f = dir.resolve("plain.json");
    SummaryJson.write(f, s);
    return f;
  }
}
