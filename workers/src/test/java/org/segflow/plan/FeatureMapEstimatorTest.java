package org.segflow.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class FeatureMapEstimatorTest {

  @Test
  void featuresDoubleUpTo512() {
    assertEquals(List.of(32, 64, 128, 256, 512, 512, 512, 512),
        FeatureMapEstimator.featuresPerStage(8, 512));
    assertEquals(List.of(32, 64, 128, 256, 320, 320), FeatureMapEstimator.featuresPerStage(6, 320));
  }

  @Test
  void twoStageNetworkByHand() {
    // encoder: 2·32·(8·8) + 2·64·(4·4) = 4096 + 2048
    // decoder at level 0: convs 2·32·64 + transposed conv 32·64 + seg layer 2 classes·64 = 6272
    long estimate = FeatureMapEstimator.estimate(List.of(8, 8), List.of(List.of(1, 1), List.of(2, 2)),
        List.of(32, 64), List.of(2, 2), List.of(2), 2);
    assertEquals(4096 + 2048 + 6272, estimate);
  }

  @Test
  void drivePatch640ByHand() {
    // sizes 640,320,...,5 squared: Σ F_s·prod(size_s) = 25,664,000 over all 8 stages, 25,651,200
    // without the bottleneck. encoder 2·25,664,000 + decoder 3·25,651,200 + seg 2·409,600
    NetworkTopology t = NetworkTopology.compute(new double[] {1, 1}, new double[] {584, 565});
    long estimate = FeatureMapEstimator.estimate(t.patchSize(), ArchKwargs.plainConvUNet2d(t), 2);
    assertEquals(51_328_000L + 76_953_600L + 819_200L, estimate);
    assertEquals(129_100_800L, estimate);
  }

  @Test
  void matchesNnUNetForPlannerPatches() {
    // reference values from a numpy transcription of PlainConvUNet.compute_conv_feature_map_size
    assertEquals(82_624_512L, estimateFor(512, 512, 2));
    assertEquals(20_627_456L, estimateFor(256, 256, 2));
    assertEquals(413_265_920L, estimateFor(1280, 1024, 2));
    assertEquals(495_919_104L, estimateFor(1024, 1536, 2));
    assertEquals(497_491_968L, estimateFor(1024, 1536, 3));
    assertEquals(5_128_192L, estimateFor(128, 128, 2));
    assertEquals(103_280_640L, estimateFor(640, 512, 2));
  }

  @Test
  void floorsOddSizesAndAsymmetricStrides() {
    // topology of 11x24: strides [1,1],[2,2],[1,2], patch 12x24 (numpy reference 78912)
    NetworkTopology t = NetworkTopology.compute(new double[] {1, 1}, new double[] {11, 24});
    assertEquals(78_912L, FeatureMapEstimator.estimate(t.patchSize(), ArchKwargs.plainConvUNet2d(t), 2));
  }

  private static long estimateFor(int y, int x, int classes) {
    NetworkTopology t = NetworkTopology.compute(new double[] {1, 1}, new double[] {y, x});
    assertEquals(List.of(y, x), t.patchSize());
    return FeatureMapEstimator.estimate(t.patchSize(), ArchKwargs.plainConvUNet2d(t), classes);
  }
}
