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

  private static long countFiles(Path dir) throws Exception {
    try (var s = Files.list(dir)) {
      return s.count();
    }
  }
}
