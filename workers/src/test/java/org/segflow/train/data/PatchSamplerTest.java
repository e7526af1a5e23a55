package org.segflow.train.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.segflow.preprocess.PreprocessedCase;
import org.segflow.train.augment.Sample;

class PatchSamplerTest {

  private static final PreprocessedCase BIG = SyntheticCases.disc("big", 1, 40, 50, 20, 30, 3, 1);

  private static boolean[] forced(int batchSize) {
    PatchSampler s = new PatchSampler(List.of(BIG), batchSize, new int[] {8, 8}, new int[] {8, 8}, 0.33);
    boolean[] out = new boolean[batchSize];
    for (int j = 0; j < batchSize; j++) {
      out[j] = s.forcedForeground(j);
    }
    return out;
  }

  @Test
  void lastThirdOfTheBatchIsForcedForeground() {
    assertArrayEquals(new boolean[] {false, true}, forced(2));
    boolean[] twelve = forced(12); // round(12 * 0.67) = round(8.04) = 8
    for (int j = 0; j < 12; j++) {
      assertEquals(j >= 8, twelve[j], "position " + j);
    }
    assertArrayEquals(new boolean[] {false}, forced(1)); // round(0.67) = 1
    assertArrayEquals(new boolean[] {false, false, true}, forced(3)); // round(2.01) = 2
    assertArrayEquals(new boolean[] {false, false, false, true, true}, forced(5)); // round(3.35) = 3
  }

  @Test
  void trainingCropsTheEnlargedPatch() {
    PatchSampler s = PatchSampler.forTraining(List.of(BIG), 2, new int[] {16, 16});
    assertArrayEquals(new int[] {18, 18}, s.cropSize()); // (int) (16 / 0.85) = 18
    Sample sample = s.drawBatch(new SplittableRandom(3)).get(0);
    assertEquals(18, sample.height());
    assertEquals(18, sample.width());
  }

  @Test
  void foregroundCropContainsTheChosenVoxelAtItsCentre() {
    PatchSampler s = PatchSampler.forTraining(List.of(BIG), 2, new int[] {16, 16});
    SplittableRandom rng = new SplittableRandom(5);
    for (int i = 0; i < 200; i++) {
      int[] start = s.cropStart(BIG, true, rng);
      Sample crop = s.crop(BIG, start);
      // the crop starts at voxel - 18/2, so the voxel sits at (9, 9) of the crop
      assertEquals(1, crop.seg()[9 * 18 + 9], "draw " + i + " start " + start[0] + "," + start[1]);
    }
  }

  @Test
  void foregroundNearTheBorderIsClampedToTheLowerBoundAndStillInside() {
    PreprocessedCase corner = SyntheticCases.disc("corner", 1, 30, 30, 3, 3, 1, 2);
    PatchSampler s = PatchSampler.forValidation(List.of(corner), 2, new int[] {12, 12});
    int[] voxels = corner.classLocations().get(1);
    SplittableRandom rng = new SplittableRandom(7);
    for (int i = 0; i < 100; i++) {
      int[] start = s.cropStart(corner, true, rng);
      assertArrayEquals(new int[] {0, 0}, start, "validation lb is 0 and every voxel is < 6");
      Sample crop = s.crop(corner, start);
      long fg = IntStream.range(0, crop.seg().length).filter(k -> crop.seg()[k] == 1).count();
      assertEquals(voxels.length, fg);
    }
  }

  @Test
  void caseWithoutForegroundFallsBackToARandomCrop() {
    PreprocessedCase empty = SyntheticCases.disc("empty", 1, 30, 30, 0, 0, 0, 3);
    PatchSampler s = PatchSampler.forValidation(List.of(empty), 2, new int[] {12, 12});
    SplittableRandom rng = new SplittableRandom(8);
    java.util.Set<String> starts = new java.util.HashSet<>();
    for (int i = 0; i < 50; i++) {
      int[] start = s.cropStart(empty, true, rng);
      assertTrue(start[0] >= 0 && start[0] <= 18 && start[1] >= 0 && start[1] <= 18);
      starts.add(start[0] + "," + start[1]);
    }
    assertTrue(starts.size() > 10, "random starts expected, got " + starts);
  }

  @Test
  void cropPadsImageWithZeroAndLabelsWithMinusOne() {
    PreprocessedCase small = SyntheticCases.disc("small", 2, 6, 7, 3, 3, 1, 4);
    PatchSampler s = PatchSampler.forValidation(List.of(small), 1, new int[] {10, 10});
    Sample crop = s.crop(small, new int[] {-2, -1});
    for (int c = 0; c < 2; c++) {
      for (int y = 0; y < 10; y++) {
        for (int x = 0; x < 10; x++) {
          int sy = y - 2;
          int sx = x - 1;
          boolean inside = sy >= 0 && sy < 6 && sx >= 0 && sx < 7;
          float expected = inside ? small.data().get(c, sy, sx) : 0f;
          assertEquals(expected, crop.image()[(c * 10 + y) * 10 + x], "c" + c + " y" + y + " x" + x);
          if (c == 0) {
            assertEquals(inside ? small.seg()[sy * 7 + sx] : -1, crop.seg()[y * 10 + x]);
          }
        }
      }
    }
  }

  @Test
  void casesAreDrawnUniformlyWithReplacement() {
    List<PreprocessedCase> cases = List.of(
        SyntheticCases.disc("a", 1, 20, 20, 10, 10, 2, 1),
        SyntheticCases.disc("b", 1, 20, 20, 10, 10, 2, 2),
        SyntheticCases.disc("c", 1, 20, 20, 10, 10, 2, 3));
    PatchSampler s = PatchSampler.forValidation(cases, 2, new int[] {8, 8});
    SplittableRandom rng = new SplittableRandom(9);
    Map<String, Integer> counts = new HashMap<>();
    int batches = 1500;
    boolean sawDuplicate = false;
    for (int i = 0; i < batches; i++) {
      List<Sample> batch = s.drawBatch(rng);
      batch.forEach(b -> counts.merge(b.caseId(), 1, Integer::sum));
      sawDuplicate |= batch.get(0).caseId().equals(batch.get(1).caseId());
    }
    // 3000 draws, p = 1/3: mean 1000, sd 25.8; allow 5 sd
    counts.values().forEach(n -> assertTrue(Math.abs(n - 1000) < 130, "count " + n));
    assertTrue(sawDuplicate, "draws are with replacement");
  }

  @Test
  void unlabelledOrMismatchedCasesAreRejectedByName() {
    PreprocessedCase unlabelled = new PreprocessedCase(
        "nolabels", BIG.data(), null, Map.of(), SyntheticCases.properties(40, 50));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PatchSampler.forValidation(List.of(BIG, unlabelled), 2, new int[] {8, 8}));
    assertTrue(e.getMessage().contains("nolabels"), e.getMessage());

    PreprocessedCase twoChannels = SyntheticCases.disc("rgb", 2, 10, 10, 5, 5, 1, 1);
    e = assertThrows(IllegalArgumentException.class,
        () -> PatchSampler.forValidation(List.of(BIG, twoChannels), 2, new int[] {8, 8}));
    assertTrue(e.getMessage().contains("rgb"), e.getMessage());

    PreprocessedCase badLocation = new PreprocessedCase(
        "badloc", BIG.data(), BIG.seg(), Map.of(1, new int[] {40 * 50}), SyntheticCases.properties(40, 50));
    e = assertThrows(IllegalArgumentException.class,
        () -> PatchSampler.forValidation(List.of(badLocation), 2, new int[] {8, 8}));
    assertTrue(e.getMessage().contains("badloc"), e.getMessage());
  }

  @Test
  void backgroundKeysInClassLocationsAreNotForeground() {
    PreprocessedCase withBackgroundKey = new PreprocessedCase(
        "bgkey", BIG.data(), BIG.seg(), Map.of(0, new int[] {0}, 1, new int[0]), SyntheticCases.properties(40, 50));
    PatchSampler s = PatchSampler.forValidation(List.of(withBackgroundKey), 2, new int[] {8, 8});
    SplittableRandom rng = new SplittableRandom(1);
    boolean sawOther = false;
    for (int i = 0; i < 20; i++) {
      int[] start = s.cropStart(withBackgroundKey, true, rng);
      sawOther |= start[0] != 0 || start[1] != 0;
    }
    assertTrue(sawOther, "no foreground: random starts, not always the background voxel at 0");
  }
}
