package org.segflow.train.augment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TrainingTransformsTest {

  private static final double[][] DS = {{1, 1}, {0.5, 0.5}, {0.25, 0.25}};

  @Test
  void trainingPipelineHasUpstreamOrderAndProbabilities() {
    List<Transform> t =
        TrainingTransforms.forTraining(new int[] {64, 64}, new int[] {0, 1}, new boolean[] {true}, DS).transforms();
    assertEquals(12, t.size());
    assertInstanceOf(SpatialTransform.class, t.get(0));
    Object[][] random = {
      {GaussianNoise.class, 0.1}, {GaussianBlur.class, 0.2}, {MultiplicativeBrightness.class, 0.15},
      {ContrastAugmentation.class, 0.15}, {SimulateLowResolution.class, 0.25},
      {GammaAugmentation.class, 0.1}, {GammaAugmentation.class, 0.3},
    };
    for (int i = 0; i < random.length; i++) {
      RandomlyApplied r = assertInstanceOf(RandomlyApplied.class, t.get(i + 1));
      assertEquals(random[i][0], r.inner().getClass(), "step " + (i + 1));
      assertEquals((double) random[i][1], r.probability(), 0, "step " + (i + 1));
    }
    assertTrue(((GammaAugmentation) ((RandomlyApplied) t.get(6)).inner()).invertImage());
    assertTrue(!((GammaAugmentation) ((RandomlyApplied) t.get(7)).inner()).invertImage());
    assertInstanceOf(Mirror.class, t.get(8));
    assertInstanceOf(MaskImage.class, t.get(9));
    assertInstanceOf(RemoveLabel.class, t.get(10));
    assertInstanceOf(DownsampleSegForDeepSupervision.class, t.get(11));
  }

  @Test
  void maskAndMirrorAreLeftOutWhenNotAsked() {
    List<Transform> t =
        TrainingTransforms.forTraining(new int[] {64, 64}, new int[0], new boolean[] {false}, DS).transforms();
    assertEquals(10, t.size());
    assertTrue(t.stream().noneMatch(x -> x instanceof Mirror || x instanceof MaskImage));
    List<Transform> v = TrainingTransforms.forValidation(DS).transforms();
    assertEquals(2, v.size());
    assertInstanceOf(RemoveLabel.class, v.get(0));
  }

  @Test
  void randomlyAppliedHonoursItsProbability() {
    int[] calls = new int[1];
    RandomlyApplied r = new RandomlyApplied((s, rng) -> calls[0]++, 0.2);
    SplittableRandom rng = new SplittableRandom(1);
    Sample s = SampleFixtures.constant(1, 2, 2, 0);
    for (int i = 0; i < 4000; i++) {
      r.apply(s, rng);
    }
    assertTrue(Math.abs(calls[0] - 800) < 130, "applied " + calls[0]); // sd 25.3
  }

  @Test
  void fullPipelineProducesPatchesWithCleanLabelsAndTargets() {
    int[] patch = {32, 32};
    int[] crop = InitialPatchSize.of(patch); // 37x37
    TransformPipeline p = TrainingTransforms.forTraining(patch, new int[] {0, 1}, new boolean[] {true}, DS);
    SplittableRandom rng = new SplittableRandom(2);
    for (int k = 0; k < 100; k++) {
      Sample s = SampleFixtures.random(2, crop[0], crop[1], k);
      p.apply(s, rng);
      assertEquals(32, s.height());
      assertEquals(32, s.width());
      for (short v : s.seg()) {
        assertTrue(v >= 0 && v <= 2, "label " + v);
      }
      for (float v : s.image()) {
        assertTrue(Float.isFinite(v));
      }
      List<SegTarget> t = s.targets();
      assertEquals(3, t.size());
      assertEquals(32, t.get(0).height());
      assertEquals(16, t.get(1).width());
      assertEquals(8, t.get(2).height());
    }
  }
}
