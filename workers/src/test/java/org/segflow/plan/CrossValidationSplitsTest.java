package org.segflow.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segflow.InvalidInputException;

/**
 * Reference splits were computed with numpy 2.4 emulating sklearn's KFold exactly as sklearn does
 * it: {@code idx = np.arange(n); np.random.RandomState(12345).shuffle(idx)}, contiguous test folds
 * (the first n % 5 one larger), train and test indices taken from boolean masks (ascending). The
 * 80:20 fallback was computed as nnU-Net's trainer does: {@code RandomState(12345 + fold).choice(n,
 * int(n * 0.8), replace=False)} over the sorted keys.
 */
class CrossValidationSplitsTest {

  @TempDir
  Path dir;

  /** Ids case_000 .. case_{n-1}, given in reverse so that sorting matters. */
  private static List<String> ids(int n) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add(String.format("case_%03d", i));
    }
    Collections.reverse(ids);
    return ids;
  }

  private static List<String> named(int... indices) {
    return Arrays.stream(indices).mapToObj(i -> String.format("case_%03d", i)).toList();
  }

  private static void assertFolds(int n, int[][] expectedVal) {
    List<FoldSplit> splits = CrossValidationSplits.kFold(ids(n));
    assertEquals(5, splits.size());
    for (int f = 0; f < 5; f++) {
      assertEquals(named(expectedVal[f]), splits.get(f).val(), "fold " + f + " val");
      List<String> train = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        final int k = i;
        if (Arrays.stream(expectedVal[f]).noneMatch(v -> v == k)) {
          train.add(String.format("case_%03d", i));
        }
      }
      assertEquals(train, splits.get(f).train(), "fold " + f + " train (ascending, the rest)");
    }
  }

  @Test
  void twentyCases() {
    assertFolds(20, new int[][] {{3, 8, 13, 16}, {0, 10, 12, 15}, {6, 7, 11, 17}, {9, 14, 18, 19},
        {1, 2, 4, 5}});
  }

  @Test
  void twentyThreeCasesFirstThreeFoldsAreLarger() {
    assertFolds(23, new int[][] {{3, 8, 10, 17, 19}, {0, 7, 12, 15, 16}, {6, 11, 14, 18, 20},
        {9, 13, 21, 22}, {1, 2, 4, 5}});
  }

  @Test
  void sevenCases() {
    assertFolds(7, new int[][] {{3, 6}, {0, 4}, {1}, {5}, {2}});
  }

  @Test
  void fewerThanFiveCasesIsAClearError() {
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> CrossValidationSplits.kFold(ids(4)));
    assertTrue(e.getMessage().contains("at least 5"), e.getMessage());
  }

  @Test
  void foldsBeyondTheFileGetTheSeededRandom8020Split() {
    List<FoldSplit> splits = CrossValidationSplits.kFold(ids(20));
    FoldSplit f5 = CrossValidationSplits.forFold(splits, 5, ids(20));
    assertEquals(named(5, 9, 6, 18, 3, 1, 4, 13, 15, 7, 0, 10, 8, 12, 14, 11), f5.train());
    assertEquals(named(2, 16, 17, 19), f5.val());
    FoldSplit f7 = CrossValidationSplits.randomSplit(ids(23), 7);
    assertEquals(named(7, 15, 2, 6, 0, 9, 18, 13, 4, 16, 22, 12, 17, 20, 19, 8, 11, 1), f7.train());
    assertEquals(named(3, 5, 10, 14, 21), f7.val());
    FoldSplit small = CrossValidationSplits.forFold(CrossValidationSplits.kFold(ids(7)), "5", ids(7));
    assertEquals(named(5, 0, 4, 3, 6), small.train());
    assertEquals(named(1, 2), small.val());
    assertEquals(splits.get(2), CrossValidationSplits.forFold(splits, "2", ids(20)));
  }

  @Test
  void foldAllTrainsAndValidatesOnEverything() {
    FoldSplit all = CrossValidationSplits.forFold(List.of(), "all", ids(6));
    assertEquals(named(0, 1, 2, 3, 4, 5), all.train());
    assertEquals(all.train(), all.val());
    assertThrows(InvalidInputException.class, () -> CrossValidationSplits.forFold(List.of(), "x", ids(6)));
    assertThrows(InvalidInputException.class, () -> CrossValidationSplits.forFold(List.of(), -1, ids(6)));
  }

  @Test
  void createsThenKeepsTheSplitsFile() throws IOException {
    Path file = dir.resolve(CrossValidationSplits.FILE_NAME);
    List<FoldSplit> created = CrossValidationSplits.loadOrCreate(file, ids(20));
    String json = Files.readString(file);
    assertTrue(json.startsWith("[\n    {\n        \"train\": [\n            \"case_000\","), json);
    assertEquals(created, CrossValidationSplits.read(file));

    // a hand-made file (3 folds, fewer cases) is kept untouched
    String custom = "[{\"train\": [\"case_001\", \"case_002\"], \"val\": [\"case_000\"]},"
        + " {\"train\": [\"case_000\"], \"val\": [\"case_001\"]}, {\"train\": [], \"val\": []}]";
    Files.writeString(file, custom);
    List<FoldSplit> kept = CrossValidationSplits.loadOrCreate(file, ids(20));
    assertEquals(3, kept.size());
    assertEquals(named(1, 2), kept.get(0).train());
    assertEquals(custom, Files.readString(file));
  }

  @Test
  void existingFileNamingUnknownCasesIsAClearError() throws IOException {
    Path file = dir.resolve(CrossValidationSplits.FILE_NAME);
    Files.writeString(file, "[{\"train\": [\"case_000\"], \"val\": [\"case_099\"]}]");
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> CrossValidationSplits.loadOrCreate(file, ids(20)));
    assertTrue(e.getMessage().contains("case_099") && e.getMessage().contains("fold 0"), e.getMessage());
    assertEquals(file, e.file());
    Files.writeString(file, "[{\"train\": [\"case_000\"]}]");
    assertThrows(InvalidInputException.class, () -> CrossValidationSplits.loadOrCreate(file, ids(20)));
  }

  @Test
  void rawSplitsAreCopiedOrMustMatch() throws IOException {
    Path raw = dir.resolve("raw_splits.json");
    Path pre = dir.resolve("pre_splits.json");
    CrossValidationSplits.write(raw, CrossValidationSplits.kFold(ids(10)));
    CrossValidationSplits.copyFromRaw(raw, pre);
    assertEquals(Files.readString(raw), Files.readString(pre));
    CrossValidationSplits.copyFromRaw(raw, pre); // same content: accepted
    CrossValidationSplits.write(pre, CrossValidationSplits.kFold(ids(11)));
    assertThrows(InvalidInputException.class, () -> CrossValidationSplits.copyFromRaw(raw, pre));
    CrossValidationSplits.copyFromRaw(dir.resolve("absent.json"), pre); // nothing to copy
  }

  @Test
  void idsSortLikeNumpyByCodePoint() {
    // numpy: ['B', 'a', 'a10', 'a2', U+FFFD, U+1F600]; Java's compareTo would put U+1F600 (a
    // surrogate pair) before U+FFFD
    List<String> sorted = CrossValidationSplits.all(List.of("\uD83D\uDE00", "\uFFFD", "a2", "B", "a10",
        "a")).train();
    assertEquals(List.of("B", "a", "a10", "a2", "\uFFFD", "\uD83D\uDE00"), sorted);
  }
}
