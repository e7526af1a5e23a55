package org.segflow.train.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.segflow.preprocess.PreprocessedCase;
import org.segflow.train.augment.DeepSupervisionScales;
import org.segflow.train.augment.TrainingTransforms;

class BatchAssemblerTest {

  static final List<PreprocessedCase> CASES = List.of(
      SyntheticCases.disc("a", 2, 60, 70, 30, 35, 6, 1),
      SyntheticCases.disc("b", 2, 50, 45, 10, 10, 4, 2),
      SyntheticCases.disc("c", 2, 20, 25, 10, 12, 3, 3));
  static final double[][] DS = DeepSupervisionScales.fromStrides(new int[][] {{1, 1}, {2, 2}, {2, 2}});

  static BatchAssembler training(int batchSize, int[] patch) {
    return new BatchAssembler(
        PatchSampler.forTraining(CASES, batchSize, patch),
        TrainingTransforms.forTraining(patch, new int[] {0, 1}, new boolean[] {false, false}, DS));
  }

  @Test
  void trainingBatchHasContiguousImagesAndDeepSupervisionTargets() {
    Batch b = training(3, new int[] {32, 40}).create(new SplittableRandom(1));
    assertArrayEquals(new long[] {3, 2, 32, 40}, b.imageShape());
    assertEquals(3 * 2 * 32 * 40, b.images().length);
    assertEquals(2, b.targets().size());
    assertArrayEquals(new long[] {3, 1, 32, 40}, b.targetShape(0));
    assertArrayEquals(new long[] {3, 1, 16, 20}, b.targetShape(1));
    assertEquals(3, b.caseIds().size());
    for (Batch.Target t : b.targets()) {
      for (short v : t.labels()) {
        assertTrue(v == 0 || v == 1, "label " + v);
      }
    }
    assertEquals(b.targets().get(1).labels()[5], b.targets().get(1).toIntArray()[5]);
  }

  @Test
  void lastSampleOfTheBatchContainsForeground() {
    BatchAssembler a = new BatchAssembler(
        PatchSampler.forValidation(CASES, 2, new int[] {16, 16}), TrainingTransforms.forValidation(DS));
    SplittableRandom rng = new SplittableRandom(2);
    for (int i = 0; i < 50; i++) {
      Batch b = a.create(rng);
      short[] full = b.targets().get(0).labels();
      boolean fg = false;
      for (int k = 256; k < 512; k++) {
        fg |= full[k] == 1;
      }
      assertTrue(fg, "batch " + i + " sample 1 (" + b.caseIds().get(1) + ") has no foreground");
    }
  }

  @Test
  void sameGeneratorSeedGivesTheSameBatch() {
    BatchAssembler a = training(2, new int[] {24, 24});
    Batch x = a.create(new SplittableRandom(42));
    Batch y = a.create(new SplittableRandom(42));
    assertArrayEquals(x.images(), y.images());
    assertArrayEquals(x.targets().get(0).labels(), y.targets().get(0).labels());
    assertEquals(x.caseIds(), y.caseIds());
  }
}
