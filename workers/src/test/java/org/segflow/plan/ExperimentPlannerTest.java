package org.segflow.plan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.segflow.InvalidInputException;
import org.segflow.dataset.DatasetJson;
import org.segflow.fingerprint.DatasetFingerprint;

class ExperimentPlannerTest {

  private static PlansConfiguration plan2d(int cases, int h, int w, double gpuGb, String... channels) {
    Plans plans = new ExperimentPlanner(gpuGb, "nnUNetPlans").plan("Dataset001_Test",
        PlanFixtures.datasetJson(cases, 2, channels),
        PlanFixtures.fingerprint2d(cases, h, w, channels.length, 1.0));
    return plans.configuration("2d");
  }

  /** Every row of the worked examples of nnU-Net's 2D planner (8 GB). */
  @ParameterizedTest(name = "{0}x{1}, {2} cases -> {3}x{4}, {5} stages, batch {6}")
  @CsvSource({
      "584, 565, 20, 640, 640, 8, 2",     // DRIVE-like: the 5 % cap is round(0.806) = 1, raised to 2
      "512, 512, 100, 512, 512, 8, 5",    // memory allows 12, the 5 % cap gives 5
      "256, 256, 1000, 256, 256, 7, 49",  // memory: round(85e6 / 20,627,456 · 12) = 49 < cap 50
      "1500, 1500, 1108, 1280, 1024, 9, 2", // Massachusetts roads: three shrink steps
      "2848, 4288, 20, 1024, 1536, 9, 2", // issue #2251 fundus plan (six shrink steps)
      "128, 128, 30, 128, 128, 6, 2",     // cap round(1.5) = 2 (half to even)
  })
  void workedExamplesOfNnUNetsPlanner(int h, int w, int cases, int patchY, int patchX, int stages, int batch) {
    PlansConfiguration c = plan2d(cases, h, w, 8, "zscore");
    assertEquals(List.of(patchY, patchX), c.patchSize());
    assertEquals(stages, c.archKwargs().nStages());
    assertEquals(batch, c.batchSize());
  }

  @Test
  void issue2251FundusAnchor() {
    Plans plans = new ExperimentPlanner().plan("Dataset002_Fundus",
        PlanFixtures.datasetJson(20, 2, "R", "G", "B"), PlanFixtures.fingerprint2d(20, 2848, 4288, 3, 1.0));
    PlansConfiguration c = plans.configuration("2d");
    assertEquals(List.of(1024, 1536), c.patchSize());
    assertEquals(9, c.archKwargs().nStages());
    assertEquals(2, c.batchSize());
    assertEquals(Collections.nCopies(3, "ZScoreNormalization"), c.normalizationSchemes());
    assertEquals(List.of(false, false, false), c.useMaskForNorm());
    assertEquals(List.of(2848.0, 4288.0), c.medianImageSizeInVoxels());
  }

  @Test
  void driveShapedDataset() {
    // relative size 0.7 would allow the mask for z-score, but CT normalization never uses it
    Plans plans = new ExperimentPlanner().plan("Dataset003_DRIVE", PlanFixtures.datasetJson(20, 2, "CT"),
        PlanFixtures.fingerprint2d(20, 584, 565, 1, 0.7));
    PlansConfiguration c = plans.configuration("2d");
    ArchKwargs a = c.archKwargs();
    assertEquals(List.of(640, 640), c.patchSize());
    assertEquals(8, a.nStages());
    assertEquals(List.of(32, 64, 128, 256, 512, 512, 512, 512), a.featuresPerStage());
    assertEquals(Collections.nCopies(8, List.of(3, 3)), a.kernelSizes());
    List<List<Integer>> strides = new ArrayList<>();
    strides.add(List.of(1, 1));
    strides.addAll(Collections.nCopies(7, List.of(2, 2)));
    assertEquals(strides, a.strides());
    assertEquals(Collections.nCopies(8, 2), a.nConvPerStage());
    assertEquals(Collections.nCopies(7, 2), a.nConvPerStageDecoder());
    assertEquals(2, c.batchSize());
    assertEquals(List.of("CTNormalization"), c.normalizationSchemes());
    assertEquals(List.of(false), c.useMaskForNorm());
    assertTrue(c.batchDice());
    assertEquals(List.of(1.0, 1.0), c.spacing());
    assertEquals(List.of(584.0, 565.0), c.medianImageSizeInVoxels());
    assertEquals("nnUNetPlans_2d", c.dataIdentifier());
    assertEquals("DefaultPreprocessor", c.preprocessorName());

    assertEquals("Dataset003_DRIVE", plans.datasetName());
    assertEquals("nnUNetPlans", plans.plansName());
    assertEquals(List.of(999.0, 1.0, 1.0), plans.originalMedianSpacingAfterTransp());
    assertEquals(List.of(1, 584, 565), plans.originalMedianShapeAfterTransp());
    assertEquals(List.of(0, 1, 2), plans.transposeForward());
    assertEquals(List.of(0, 1, 2), plans.transposeBackward());
    assertEquals("NaturalImage2DIO", plans.imageReaderWriter());
    assertEquals("ExperimentPlanner", plans.experimentPlannerUsed());
    assertEquals("LabelManager", plans.labelManager());
    assertEquals(Map.of("0", PlanFixtures.fingerprint2d(1, 1, 1, 1, 1).foregroundIntensityPropertiesPerChannel()
        .get("0")), plans.foregroundIntensityPropertiesPerChannel());
    assertEquals(List.of("2d"), List.copyOf(plans.configurations().keySet()));
  }

  @Test
  void smallerMemoryTargetShrinksThePatch() {
    // 2 GB: reference 21,250,000. At 640x640 the estimate 129,100,800 / 12 · 2 = 21,516,800 is above
    // it, so the axis with the larger patch/median ratio (640/565 > 640/584: x) shrinks by the
    // divisibility of the 640x512 topology (128) to 512. 640x512 keeps 8 stages; its estimate is
    // 103,280,640 (/ 6 = 17,213,440 fits), batch round(21.25e6 / 103,280,640 · 12) = round(2.47) = 2.
    PlansConfiguration small = plan2d(20, 584, 565, 2, "CT");
    PlansConfiguration big = plan2d(20, 584, 565, 8, "CT");
    assertEquals(List.of(640, 512), small.patchSize());
    assertEquals(8, small.archKwargs().nStages());
    assertEquals(2, small.batchSize());
    assertTrue(small.patchSize().get(1) < big.patchSize().get(1));
    assertEquals(big.patchSize().get(0), small.patchSize().get(0));
  }

  @Test
  void smallerMemoryTargetLowersTheBatchWhenThePatchFits() {
    // 512x512: estimate 82,624,512 fits either way. 8 GB: round(85e6/82,624,512·12) = 12, capped to 5
    // by round(100·512²·0.05 / 512²) = 5. 2 GB: round(21.25e6/82,624,512·12) = round(3.086) = 3.
    PlansConfiguration small = plan2d(100, 512, 512, 2, "zscore");
    PlansConfiguration big = plan2d(100, 512, 512, 8, "zscore");
    assertEquals(List.of(512, 512), small.patchSize());
    assertEquals(3, small.batchSize());
    assertEquals(5, big.batchSize());
  }

  @Test
  void tinyMemoryTargetsShrinkAllTheWayLikeNnUNet() {
    // numpy transcription of the planner: 0.0001 GB -> 51 shrink steps to 8x7 (one stage,
    // estimate 3584, batch round(1062.5 / 3584 · 12) = 4); 0.001 GB -> 16x14, two stages, batch 3
    PlansConfiguration tiny = plan2d(20, 584, 565, 0.0001, "CT");
    assertEquals(List.of(8, 7), tiny.patchSize());
    assertEquals(1, tiny.archKwargs().nStages());
    assertEquals(4, tiny.batchSize());
    PlansConfiguration small = plan2d(20, 584, 565, 0.001, "CT");
    assertEquals(List.of(16, 14), small.patchSize());
    assertEquals(2, small.archKwargs().nStages());
    assertEquals(3, small.batchSize());
  }

  @Test
  void memoryTargetBelowAOnePixelPatchIsAClearError() {
    // nnU-Net shrinks to a 0-pixel patch and dies in round(inf); we stop with a message
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> plan2d(20, 584, 565, 1e-7, "CT"));
    assertTrue(e.getMessage().contains("GPU memory target"), e.getMessage());
  }

  @Test
  void threeDimensionalDataIsRejected() {
    List<List<Integer>> shapes = new ArrayList<>();
    List<List<Double>> spacings = new ArrayList<>();
    for (int c = 0; c < 5; c++) {
      shapes.add(List.of(40, 256, 256));
      spacings.add(List.of(2.5, 0.8, 0.8));
    }
    DatasetFingerprint fp = new DatasetFingerprint(
        PlanFixtures.fingerprint2d(1, 1, 1, 1, 1).foregroundIntensityPropertiesPerChannel(), 1.0, shapes,
        spacings);
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> new ExperimentPlanner()
        .plan("Dataset004_CT", PlanFixtures.datasetJson(5, 2, "CT"), fp));
    assertTrue(e.getMessage().contains("only 2D"), e.getMessage());
  }

  @Test
  void normalizationFollowsChannelNamesAndMaskNeedsZScoreAndACroppedDataset() {
    DatasetJson ds = PlanFixtures.datasetJson(20, 2, "ct", "noNorm", "ZSCORE", "rescale_to_0_1",
        "RGB_to_0_1", "T2");
    Plans cropped = new ExperimentPlanner().plan("D", ds, PlanFixtures.fingerprint2d(20, 64, 64, 6, 0.6));
    PlansConfiguration c = cropped.configuration("2d");
    assertEquals(List.of("CTNormalization", "NoNormalization", "ZScoreNormalization",
        "RescaleTo01Normalization", "RGBTo01Normalization", "ZScoreNormalization"),
        c.normalizationSchemes());
    assertEquals(List.of(false, false, true, false, false, true), c.useMaskForNorm());

    Plans uncropped = new ExperimentPlanner().plan("D", ds, PlanFixtures.fingerprint2d(20, 64, 64, 6, 0.75));
    assertEquals(Collections.nCopies(6, false), uncropped.configuration("2d").useMaskForNorm());
  }

  @Test
  void channelsAreOrderedByIndex() {
    DatasetJson ds = new DatasetJson(Map.of("1", "CT", "0", "R", "10", "noNorm", "2", "B"), null,
        Map.of("background", 0, "vessel", 1), 20, ".png", null, null, null, null, null);
    assertEquals(List.of("R", "CT", "B", "noNorm"), ExperimentPlanner.channelNamesInIndexOrder(ds));
  }

  @Test
  void missingOrInconsistentInputsAreClearErrors() {
    DatasetFingerprint fp = PlanFixtures.fingerprint2d(20, 64, 64, 1, 1.0);
    InvalidInputException count = assertThrows(InvalidInputException.class,
        () -> new ExperimentPlanner().plan("D", PlanFixtures.datasetJson(19, 2, "CT"), fp));
    assertTrue(count.getMessage().contains("numTraining"), count.getMessage());
    DatasetJson jpeg = new DatasetJson(Map.of("0", "R"), null, Map.of("background", 0), 20, ".jpg",
        null, null, null, null, null);
    InvalidInputException ending = assertThrows(InvalidInputException.class,
        () -> new ExperimentPlanner().plan("D", jpeg, fp));
    assertTrue(ending.getMessage().contains("file_ending"), ending.getMessage());
    DatasetJson noChannels = new DatasetJson(null, null, Map.of("background", 0), 20, ".png", null,
        null, null, null, null);
    assertThrows(InvalidInputException.class, () -> new ExperimentPlanner().plan("D", noChannels, fp));
  }

  @Test
  void oddCaseCountMediansAndHalfMedians() {
    // medians over cases: (584 + 585) / 2 = 584.5 is used unrounded for the patch clip and the
    // plans' median size; the original median shape is rounded half to even (584.5 -> 584)
    List<List<Integer>> shapes = new ArrayList<>();
    List<List<Double>> spacings = new ArrayList<>();
    for (int c = 0; c < 20; c++) {
      shapes.add(List.of(1, c < 10 ? 584 : 585, 565));
      spacings.add(List.of(999.0, 1.0, 1.0));
    }
    DatasetFingerprint fp = new DatasetFingerprint(
        PlanFixtures.fingerprint2d(1, 1, 1, 1, 1).foregroundIntensityPropertiesPerChannel(), 1.0, shapes,
        spacings);
    Plans plans = new ExperimentPlanner().plan("D", PlanFixtures.datasetJson(20, 2, "CT"), fp);
    assertEquals(List.of(584.5, 565.0), plans.configuration("2d").medianImageSizeInVoxels());
    assertEquals(List.of(1, 584, 565), plans.originalMedianShapeAfterTransp());
    assertEquals(List.of(640, 640), plans.configuration("2d").patchSize());
  }

  @Test
  void anisotropicTargetSpacingUsesTheTenthPercentile() {
    // z spacing 5 > 3·1 and z size 10·3 < 256: target z = 10th percentile of (3,4,5,5,6) = 3.4
    double[][] spacings = {{5, 1, 1}, {3, 1, 1}, {4, 1, 1}, {6, 1, 1}, {5, 1, 1}};
    double[][] shapes = {{10, 256, 256}, {10, 256, 256}, {10, 256, 256}, {10, 256, 256}, {10, 256, 256}};
    assertArrayEquals(new double[] {3.4, 1, 1}, ExperimentPlanner.targetSpacing(spacings, shapes), 1e-12);
    // z median 7 > 3·2, but the 10th percentile 1 is below the other axes' 2: becomes 2 + 1e-5
    double[][] fine = {{7, 2, 2}, {1, 2, 2}, {7, 2, 2}, {1, 2, 2}, {7, 2, 2}, {7, 2, 2}};
    double[][] sizes = {{5, 99, 99}, {5, 99, 99}, {5, 99, 99}, {5, 99, 99}, {5, 99, 99}, {5, 99, 99}};
    assertArrayEquals(new double[] {2 + 1e-5, 2, 2}, ExperimentPlanner.targetSpacing(fine, sizes), 0);
  }

  @Test
  void transposePutsTheCoarsestAxisFirst() {
    assertArrayEquals(new int[] {1, 0, 2}, ExperimentPlanner.transposeForward(new double[] {1, 3, 1}));
    assertArrayEquals(new int[] {0, 1, 2}, ExperimentPlanner.transposeForward(new double[] {999, 1, 1}));
  }

  @Test
  void shrinkAxisTiesGoToTheLastAxis() {
    assertEquals(1, ExperimentPlanner.mostOversizedAxis(new int[] {512, 512}, new double[] {500, 500}));
    assertEquals(0, ExperimentPlanner.mostOversizedAxis(new int[] {640, 640}, new double[] {565, 584}));
  }

  @Test
  void planningIsDeterministic() {
    Plans a = new ExperimentPlanner().plan("D", PlanFixtures.datasetJson(20, 2, "R", "G", "B"),
        PlanFixtures.fingerprint2d(20, 2848, 4288, 3, 1.0));
    Plans b = new ExperimentPlanner().plan("D", PlanFixtures.datasetJson(20, 2, "R", "G", "B"),
        PlanFixtures.fingerprint2d(20, 2848, 4288, 3, 1.0));
    assertEquals(a, b);
    assertFalse(a.configurations().isEmpty());
  }
}
