package org.segflow.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segflow.plan.CrossValidationSplits;
import org.segflow.plan.FoldSplit;
import org.segflow.plan.PlanAndPreprocess;
import org.segflow.plan.Plans;
import org.segflow.plan.PlansConfiguration;
import org.segflow.preprocess.PreprocessedCase;
import org.segflow.preprocess.PreprocessedStore;

/** sample -> convert -> plan-and-preprocess on real PNG files, checking what each step leaves. */
class DataHalfIntegrationTest {

  @Test
  void samplePlansAndPreprocessesLikeNnUnet(@TempDir Path home) throws Exception {
    PlanAndPreprocess.Result r = SampleDatasets.prepare(home, 4, 10, 96);

    Path raw = home.resolve("raw/Dataset004_Sample");
    assertEquals(10, countFiles(raw.resolve("imagesTr")));
    assertEquals(10, countFiles(raw.resolve("labelsTr")));
    assertEquals(2, countFiles(raw.resolve("imagesTs")));
    assertEquals(10, countFiles(raw.resolve("masksTr")));

    Plans plans = Plans.read(r.plansFile());
    PlansConfiguration c = plans.configuration("2d");
    assertEquals(List.of(96, 96), c.patchSize());
    assertEquals(List.of("CTNormalization"), c.normalizationSchemes());
    assertEquals(2, (int) c.batchSize());

    List<FoldSplit> splits = CrossValidationSplits.read(r.splitsFile());
    assertEquals(5, splits.size());
    for (FoldSplit s : splits) {
      assertEquals(2, s.val().size());
      assertEquals(8, s.train().size());
    }

    String id = splits.get(0).val().get(0);
    PreprocessedCase pc = PreprocessedStore.read(r.dataDir(), id);
    assertEquals(1, pc.data().channels());
    assertTrue(pc.classLocations().get(1).length > 0, "vessel pixels sampled for oversampling");
    assertTrue(Files.exists(home.resolve("preprocessed/Dataset004_Sample/gt_segmentations/" + id + ".png")));

    // re-running on the same input gives byte-identical JSON
    byte[] plansBefore = Files.readAllBytes(r.plansFile());
    byte[] fingerprintBefore = Files.readAllBytes(r.fingerprintFile());
    PlanAndPreprocess.Result again = new PlanAndPreprocess(org.segflow.storage.SegflowPaths.under(home), m -> { })
        .run("4", PlanAndPreprocess.Options.DEFAULTS);
    assertArrayEquals(plansBefore, Files.readAllBytes(again.plansFile()));
    assertArrayEquals(fingerprintBefore, Files.readAllBytes(again.fingerprintFile()));
  }

  /** A DRIVE-shaped sample (20 gray 584x565 photographs, channel "CT") plans as nnU-Net plans DRIVE. */
  @Test
  void driveShapedSamplePlansLikeNnUnet(@TempDir Path home) throws Exception {
    org.segflow.sample.FundusSampleGenerator.generate(home.resolve("drive"),
        new org.segflow.sample.SampleSpec(20, 1, 584, 565, 3), true);
    org.segflow.storage.SegflowPaths paths = org.segflow.storage.SegflowPaths.under(home);
    new org.segflow.dataset.DatasetConverter().convert(home.resolve("drive"), paths.raw(),
        new org.segflow.dataset.DatasetName(8, "DRIVE"), org.segflow.dataset.ConversionOptions.DEFAULTS);
    PlanAndPreprocess.Result r = new PlanAndPreprocess(paths, m -> { }).run("8", PlanAndPreprocess.Options.DEFAULTS);

    Plans plans = Plans.read(r.plansFile());
    PlansConfiguration c = plans.configuration("2d");
    assertEquals(List.of(640, 640), c.patchSize());
    assertEquals(8, c.archKwargs().nStages());
    assertEquals(List.of(32, 64, 128, 256, 512, 512, 512, 512), c.archKwargs().featuresPerStage());
    assertEquals(2, (int) c.batchSize());
    assertEquals(List.of("CTNormalization"), c.normalizationSchemes());
    assertEquals(List.of(false), c.useMaskForNorm());

    // CT normalization: clip to the foreground 0.5/99.5 percentiles, then the foreground mean and std
    var fg = plans.foregroundIntensityPropertiesPerChannel().get("0");
    String id = CrossValidationSplits.read(r.splitsFile()).get(0).val().get(0);
    org.segflow.io.ImageArray raw = org.segflow.io.ImageFiles.read(
        home.resolve("raw/Dataset008_DRIVE/imagesTr/" + id + "_0000.png"));
    PreprocessedCase pc = PreprocessedStore.read(r.dataDir(), id);
    int[][] bbox = pc.properties().bboxUsedForCropping();
    int h = pc.data().height();
    int w = pc.data().width();
    float min = Float.MAX_VALUE;
    float max = -Float.MAX_VALUE;
    for (int y = 0; y < h; y += 7) {
      for (int x = 0; x < w; x += 5) {
        double v = raw.get(0, y + bbox[1][0], x + bbox[2][0]);
        double expected = (Math.min(Math.max(v, fg.percentile005()), fg.percentile995()) - fg.mean()) / fg.std();
        assertEquals(expected, pc.data().get(0, y, x), 1e-4);
        min = Math.min(min, pc.data().get(0, y, x));
        max = Math.max(max, pc.data().get(0, y, x));
      }
    }
    assertEquals((fg.percentile005() - fg.mean()) / fg.std(), min, 1e-4, "dark background is clipped");
    assertTrue(max <= (fg.percentile995() - fg.mean()) / fg.std() + 1e-4);
  }

  private static long countFiles(Path dir) throws Exception {
    try (var s = Files.list(dir)) {
      return s.count();
    }
  }
}
