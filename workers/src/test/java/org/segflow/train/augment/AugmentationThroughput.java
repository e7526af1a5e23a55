package org.segflow.train.augment;

import java.util.List;
import java.util.SplittableRandom;
import org.segflow.preprocess.PreprocessedCase;
import org.segflow.train.data.BatchAssembler;
import org.segflow.train.data.PatchSampler;
import org.segflow.train.data.SyntheticCases;

/**
 * Single-threaded throughput of sampling + training augmentation, run by hand:
 * {@code java -cp workers/target/classes:workers/target/test-classes
 * org.segflow.train.augment.AugmentationThroughput}. Cases are DRIVE-sized (584x565, 1 channel).
 * Prints the average over the real pipeline and the worst case (every step applied, rotated and
 * scaled).
 */
public final class AugmentationThroughput {

  private AugmentationThroughput() {}

  public static void main(String[] args) {
    List<PreprocessedCase> cases = List.of(
        SyntheticCases.disc("d1", 1, 584, 565, 292, 282, 200, 1),
        SyntheticCases.disc("d2", 1, 584, 565, 200, 300, 150, 2));
    double[][] ds = DeepSupervisionScales.fromStrides(
        new int[][] {{1, 1}, {2, 2}, {2, 2}, {2, 2}, {2, 2}, {2, 2}, {2, 2}, {2, 2}});
    for (int[] patch : new int[][] {{640, 640}, {128, 128}}) {
      PatchSampler sampler = PatchSampler.forTraining(cases, 2, patch);
      BatchAssembler full = new BatchAssembler(
          sampler, TrainingTransforms.forTraining(patch, new int[] {0, 1}, new boolean[] {false}, ds));
      SpatialTransform spatial = new SpatialTransform(patch[0], patch[1], Math.PI);
      Transform everything = new TransformPipeline(List.of(
          (s, r) -> spatial.resample(s, 0.5, 1.2), new GaussianNoise(), new GaussianBlur(),
          new MultiplicativeBrightness(), new ContrastAugmentation(), new SimulateLowResolution(),
          new GammaAugmentation(true), new GammaAugmentation(false), new Mirror(0, 1),
          RemoveLabel.outsideToBackground(), new DownsampleSegForDeepSupervision(ds)));
      BatchAssembler worst = new BatchAssembler(sampler, everything);
      int n = patch[0] >= 512 ? 40 : 400;
      SplittableRandom rng = new SplittableRandom(1);
      for (int i = 0; i < n / 2; i++) { // warm-up
        full.create(rng);
        worst.create(rng);
      }
      double sampling = msPerBatch(n, () -> sampler.drawBatch(rng));
      double typical = msPerBatch(n, () -> full.create(rng));
      double all = msPerBatch(n, () -> worst.create(rng));
      System.out.printf("patch %dx%d (crop %dx%d), batch 2, 1 channel: sampling %.2f ms, "
              + "sampling + augmentation %.2f ms, worst case %.2f ms per batch%n",
          patch[0], patch[1], sampler.cropSize()[0], sampler.cropSize()[1], sampling, typical, all);
    }
  }

  private static double msPerBatch(int n, Runnable r) {
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      r.run();
    }
    return (System.nanoTime() - t0) / 1e6 / n;
  }
}
