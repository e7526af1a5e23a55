package org.segflow.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segflow.contract.TrustScores;
import org.segflow.io.ImageArray;
import org.segflow.io.PngWriter;
import org.segflow.net.Engines;
import org.segflow.pipeline.SampleDatasets;
import org.segflow.predict.ModelFiles;
import org.segflow.predict.PredictionOptions;
import org.segflow.predict.Predictor;
import org.segflow.predict.TrainedModel;
import org.segflow.registry.ModelRegistry;
import org.segflow.registry.ModelVersion;
import org.segflow.sample.FundusSampleGenerator;
import org.segflow.sample.SampleCase;
import org.segflow.sample.SampleSpec;
import org.segflow.sample.SampleSplit;
import org.segflow.storage.SegflowPaths;
import org.segflow.train.FoldTrainingJob;
import org.segflow.train.TrainingSettings;

/**
 * The evidence for the trust scores on the synthetic fundus sample: a model trained on 20 cases (five
 * folds), published and calibrated, then held-out sample images of another seed (written as PNG files)
 * should pass while the same images shifted should be flagged. The rates are printed for the README.
 */
class TrustEvidenceTest {

  private static final int ID = 17;
  private static final int SIZE = 64;
  private static final int HELD_OUT = 20;
  /** Shifted copies of the first held-out images; every one flagged so far, so fewer suffice. */
  private static final int SHIFTED = 10;
  private static final List<String> FOLDS = List.of("0", "1", "2", "3", "4");

  @TempDir
  static Path home;

  static SegflowPaths paths;
  static ModelVersion version;
  static TrustProfile profile;
  static final Map<String, double[]> rates = new LinkedHashMap<>();
  static double scoringMillis;
  static double predictionMillis;

  @BeforeAll
  static void trainPublishCalibrateAndScore() {
    SampleDatasets.prepare(home, ID, 20, SIZE);
    paths = SegflowPaths.under(home);
    FoldTrainingJob job = new FoldTrainingJob(paths);
    for (String fold : FOLDS) {
      TrainingSettings s = TrainingSettings.schedule(3, 20, 2).withCheckpointEvery(3).withSeed(100 + fold.hashCode());
      job.run(new FoldTrainingJob.Request(Integer.toString(ID), "2d", fold, "nnUNetPlans", s, "cpu", 2), List.of());
    }
    ModelRegistry registry = new ModelRegistry(paths);
    version = registry.publish(new ModelRegistry.Publication(Integer.toString(ID), "2d", "nnUNetPlans", FOLDS,
        ModelFiles.CheckpointChoice.FINAL));
    Device cpu = Engines.device("cpu", Engines.pytorch(2));
    profile = new TrustCalibration(paths).calibrate(version, cpu);

    Map<String, UnaryOperator<ImageArray>> shifts = new LinkedHashMap<>();
    shifts.put("held-out (no shift)", UnaryOperator.identity());
    shifts.put("darkened x0.5", ImageShifts::darken);
    shifts.put("blurred (5x5 box)", ImageShifts::blur);
    shifts.put("channel-inverted (255 - v)", ImageShifts::invert);
    shifts.put("non-fundus (textured scene)", ImageShifts::nonFundus);
    shifts.put("different size (x1.5)", ImageShifts::enlarge);
    SampleSpec heldOut = new SampleSpec(1, HELD_OUT, SIZE, SIZE, 2026);
    Path in = home.resolve("shifted");
    long scoring = 0;
    long predicting = 0;
    int scored = 0;
    try (TrainedModel model = TrainedModel.load(registry.files(version), cpu, version.postprocessing() != null)) {
      Predictor predictor = new Predictor(model, PredictionOptions.defaults().withTta(version.tta()));
      for (Map.Entry<String, UnaryOperator<ImageArray>> shift : shifts.entrySet()) {
        int oodFlags = 0;
        int lowFlags = 0;
        int anyFlag = 0;
        boolean clean = shift.getKey().startsWith("held-out");
        int count = clean ? HELD_OUT : SHIFTED;
        for (int i = 0; i < count; i++) {
          ImageArray image = shift.getValue().apply(rgb(FundusSampleGenerator.generateCase(heldOut, SampleSplit.TEST, i)));
          Path file = in.resolve(shift.getKey().replaceAll("[^a-z0-9]+", "_") + "_" + i + ".png");
          PngWriter.writeRgb8(file, image);
          long t0 = System.nanoTime();
          ScoredSegmentation.Result r = ScoredSegmentation.run(predictor, "case" + i, List.of(file), profile);
          if (clean) {
            predicting += System.nanoTime() - t0;
          }
          TrustScores s = r.trust();
          oodFlags += s.flags().contains(TrustScores.OUT_OF_DISTRIBUTION) ? 1 : 0;
          lowFlags += s.flags().contains(TrustScores.LOW_CONFIDENCE) ? 1 : 0;
          anyFlag += s.flagged() ? 1 : 0;
          if (!clean) {
            continue;
          }
          // the scoring alone, for the latency budget: the assessment as the run timed it on the logits the
          // label map came from (its scoreNanos: foreground fraction, drift, confidence), plus reading the
          // image once more, which the scoring's inputs cost (no second prediction just to time it)
          long t1 = System.nanoTime();
          predictor.converter().read(List.of(file)).image();
          scoring += System.nanoTime() - t1 + r.scoreNanos();
          scored++;
        }
        rates.put(shift.getKey(), new double[] {(double) anyFlag / count, (double) oodFlags / count,
            (double) lowFlags / count});
      }
    }
    scoringMillis = scoring / 1e6 / scored;
    predictionMillis = predicting / 1e6 / scored;
    System.out.printf(Locale.ROOT, "trust profile: drift threshold %.2f (cv p99 %.2f), confidence threshold %.4f"
        + " (cv median %.4f), foreground threshold %.2f, %d cv cases%n", profile.drift().threshold(),
        profile.drift().crossvalP99(), profile.confidence().threshold(), profile.confidence().crossvalMedian(),
        profile.foreground().threshold(), profile.crossvalCases());
    rates.forEach((k, v) -> System.out.printf(Locale.ROOT, "%-30s flagged %5.1f%%  OOD %5.1f%%  LOW_CONF %5.1f%%%n",
        k, 100 * v[0], 100 * v[1], 100 * v[2]));
    System.out.printf(Locale.ROOT, "(%d held-out images, %d of each shift)%n", HELD_OUT, SHIFTED);
    System.out.printf(Locale.ROOT, "scoring %.2f ms per image, segmenting and scoring %.1f ms (%.2f%%)%n",
        scoringMillis, predictionMillis, 100 * scoringMillis / predictionMillis);
  }

  private static ImageArray rgb(SampleCase c) {
    ImageArray a = ImageArray.zeros(3, c.height(), c.width());
    for (int i = 0; i < c.pixels(); i++) {
      for (int ch = 0; ch < 3; ch++) {
        a.data()[ch * c.pixels() + i] = c.rgb(i, ch);
      }
    }
    return a;
  }

  @Test
  void theProfileIsWrittenBesideTheVersion() {
    Path file = new TrustProfiles(paths).file(version);
    assertTrue(Files.isRegularFile(file), file.toString());
    assertEquals(profile, new TrustProfiles(paths).of(version).orElseThrow());
    assertEquals(20, profile.trainingCases());
    assertEquals(20, profile.crossvalCases());
  }

  @Test
  void heldOutSampleImagesAreRarelyFlagged() {
    double falseFlags = rates.get("held-out (no shift)")[0];
    assertTrue(falseFlags <= 0.10, "false-flag rate " + falseFlags);
  }

  @Test
  void everyShiftIsMostlyFlagged() {
    rates.forEach((shift, r) -> {
      if (!shift.startsWith("held-out")) {
        assertTrue(r[0] >= 0.9, shift + ": detection rate " + r[0]);
      }
    });
  }

  @Test
  void scoringIsSmallNextToSegmenting() {
    assertTrue(scoringMillis < 0.05 * predictionMillis, scoringMillis + " ms vs " + predictionMillis + " ms");
  }
}
