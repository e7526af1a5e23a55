package org.segflow.train.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.segflow.net.UNetArchitecture;

class TrainStepBenchmarkTest {

  private static UNetArchitecture twoStage() {
    return new UNetArchitecture(1, 2, 2, new int[] {4, 8}, new int[][] {{3, 3}, {3, 3}},
        new int[][] {{1, 1}, {2, 2}}, new int[] {1, 1}, new int[] {1}, true);
  }

  @Test
  void flopsFollowTheDocumentedConvention() {
    // By hand at 8x8, batch 1: conv 1->4 at 8x8 (2·9·1·4·64 = 4608), conv 4->8 at 4x4 (9216),
    // transposed 8->4 onto 8x8 (2·8·4·64 = 4096), conv 8->4 at 8x8 (36864), head 4->2 (1024).
    assertEquals(55_808, UNetFlops.forward(twoStage(), 1, 8, 8), 0);
    assertEquals(3 * 2 * 55_808, UNetFlops.trainingStep(twoStage(), 2, 8, 8), 0);
    // nnU-Net's DRIVE network, 640x640, batch 2: 1,117.66 GFLOP per step (numpy, same convention).
    assertEquals(1117.6636416e9,
        UNetFlops.trainingStep(UNetArchitecture.isotropic2d(1, 2, 8, true), 2, 640, 640), 1e3);
  }

  @Test
  void reportsStepTimesMemoryAndThroughput() {
    UNetArchitecture arch = UNetArchitecture.isotropic2d(1, 2, 3, true);
    TrainStepBenchmark.Result result = TrainStepBenchmark.run(
        new TrainStepBenchmark.Config(arch, 2, 32, 32, 2, 1, 1, 3));
    assertEquals(3, result.stepMillis().length);
    assertTrue(result.minMillis() > 0 && result.minMillis() <= result.medianMillis());
    assertTrue(result.peakRssBytes() > 50_000_000L, "peak RSS " + result.peakRssBytes());
    assertEquals(UNetFlops.trainingStep(arch, 2, 32, 32) / 1e9, result.gflopPerStep(), 1e-9);
    assertTrue(result.gflopPerSecond() > 0);
    assertTrue(result.summary().startsWith("median "), result.summary());
  }
}
