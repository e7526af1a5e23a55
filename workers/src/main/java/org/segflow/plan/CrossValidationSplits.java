package org.segflow.plan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.segflow.InvalidInputException;
import org.segflow.random.NumpyRandomState;
import org.segflow.storage.AtomicFiles;
import org.segflow.storage.Json;

/**
 * nnU-Net's cross-validation splits: {@code splits_final.json} from sklearn's
 * {@code KFold(5, shuffle=True, random_state=12345)} over the sorted case ids, a seeded random 80:20
 * split for folds beyond the file, and fold "all".
 */
public final class CrossValidationSplits {

  public static final String FILE_NAME = "splits_final.json";
  public static final int NUM_SPLITS = 5;
  public static final long SEED = 12345;
  public static final String FOLD_ALL = "all";

  /** {@code np.sort} order for str arrays: by Unicode code point (not Java's UTF-16 units). */
  static final Comparator<String> NUMPY_STRING_ORDER = (a, b) -> {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  };

  private CrossValidationSplits() {}

  /** nnU-Net's 5 folds with seed 12345. */
  public static List<FoldSplit> kFold(Collection<String> caseIds) {
    return kFold(caseIds, NUM_SPLITS, SEED);
  }

  /**
   * sklearn's shuffled KFold as nnU-Net calls it: indices 0..n-1 of the sorted ids shuffled with
   * {@code RandomState(seed).shuffle}, cut into contiguous test folds (the first n % k folds one
   * larger); sklearn returns both train and test indices in ascending order (they come from
   * boolean masks), so both lists are in sorted-id order.
   */
  public static List<FoldSplit> kFold(Collection<String> caseIds, int numSplits, long seed) {
    List<String> ids = sortedUnique(caseIds);
    int n = ids.size();
    if (numSplits < 2) {
      throw new IllegalArgumentException("need at least 2 splits, got " + numSplits);
    }
    if (n < numSplits) {
      throw new InvalidInputException("cross-validation needs at least " + numSplits
          + " training cases for " + numSplits + " folds, but the dataset has " + n);
    }
    int[] order = new NumpyRandomState(seed).permutation(n);
    List<FoldSplit> splits = new ArrayList<>(numSplits);
    int start = 0;
    for (int fold = 0; fold < numSplits; fold++) {
      int size = n / numSplits + (fold < n % numSplits ? 1 : 0);
      boolean[] isVal = new boolean[n];
      for (int k = start; k < start + size; k++) {
        isVal[order[k]] = true;
      }
      start += size;
      List<String> train = new ArrayList<>();
      List<String> val = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        (isVal[i] ? val : train).add(ids.get(i));
      }
      splits.add(new FoldSplit(train, val));
    }
    return List.copyOf(splits);
  }

  /**
   * The splits in {@code splitsFile}: an existing file is kept as is (nnU-Net never rewrites it)
   * after checking it names only known cases; otherwise 5 folds are created and written.
   */
  public static List<FoldSplit> loadOrCreate(Path splitsFile, Collection<String> caseIds) {
    if (Files.exists(splitsFile)) {
      List<FoldSplit> splits = read(splitsFile);
      validate(splitsFile, splits, caseIds);
      return splits;
    }
    List<FoldSplit> splits = kFold(caseIds);
    write(splitsFile, splits);
    return splits;
  }

  /** Reads a splits file; every fold must have both lists. */
  public static List<FoldSplit> read(Path splitsFile) {
    FoldSplit[] splits = Json.read(splitsFile, FoldSplit[].class);
    if (splits == null || splits.length == 0) {
      throw new InvalidInputException(splitsFile, "expected a non-empty list of {\"train\": [...], "
          + "\"val\": [...]} folds");
    }
    for (int fold = 0; fold < splits.length; fold++) {
      if (splits[fold] == null || splits[fold].train() == null || splits[fold].val() == null) {
        throw new InvalidInputException(splitsFile, "fold " + fold
            + " must have both \"train\" and \"val\" lists");
      }
    }
    return List.of(splits);
  }

  public static void write(Path splitsFile, List<FoldSplit> splits) {
    Json.write(splitsFile, splits);
  }

  /**
   * Every id in every fold is one of {@code caseIds} (folds as returned by {@link #read}).
   *
   * @throws InvalidInputException naming the file, the fold and the unknown id
   */
  public static void validate(Path splitsFile, List<FoldSplit> splits, Collection<String> caseIds) {
    Set<String> known = new HashSet<>(caseIds);
    for (int fold = 0; fold < splits.size(); fold++) {
      FoldSplit split = splits.get(fold);
      checkKnown(splitsFile, fold, "train", split.train(), known);
      checkKnown(splitsFile, fold, "val", split.val(), known);
    }
  }

  /**
   * The cases of one fold as nnU-Net's trainer picks them: "all" trains and validates on every
   * case; a fold index inside the file takes that entry; a larger index gets a random 80:20 split.
   */
  public static FoldSplit forFold(List<FoldSplit> splits, String fold, Collection<String> caseIds) {
    if (FOLD_ALL.equals(fold)) {
      return all(caseIds);
    }
    int index;
    try {
      index = Integer.parseInt(fold.trim());
    } catch (NumberFormatException e) {
      throw new InvalidInputException("fold must be a number >= 0 or \"all\", got '" + fold + "'");
    }
    return forFold(splits, index, caseIds);
  }

  public static FoldSplit forFold(List<FoldSplit> splits, int fold, Collection<String> caseIds) {
    if (fold < 0) {
      throw new InvalidInputException("fold must be >= 0 or \"all\", got " + fold);
    }
    return fold < splits.size() ? splits.get(fold) : randomSplit(caseIds, fold);
  }

  /** Fold "all": train = val = every case, sorted. */
  public static FoldSplit all(Collection<String> caseIds) {
    List<String> ids = sortedUnique(caseIds);
    return new FoldSplit(ids, ids);
  }

  /**
   * nnU-Net's fallback for a fold beyond the splits file: {@code RandomState(12345 + fold)
   * .choice(n, int(n * 0.8), replace=False)} over the sorted ids; train keeps the drawn order (nnU-Net
   * v2 does not sort it), val is the rest in sorted order.
   */
  public static FoldSplit randomSplit(Collection<String> caseIds, int fold) {
    List<String> ids = sortedUnique(caseIds);
    int n = ids.size();
    int numTrain = (int) (n * 0.8); // int() truncates
    int[] drawn = new NumpyRandomState(SEED + fold).choiceWithoutReplacement(n, numTrain);
    boolean[] inTrain = new boolean[n];
    List<String> train = new ArrayList<>(numTrain);
    for (int i : drawn) {
      inTrain[i] = true;
      train.add(ids.get(i));
    }
    List<String> val = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (!inTrain[i]) {
        val.add(ids.get(i));
      }
    }
    return new FoldSplit(train, val);
  }

  /**
   * nnU-Net's {@code _maybe_copy_splits_file}: a splits file shipped in the raw dataset folder is
   * copied to the preprocessed folder; if both exist, each fold of the raw file must name the same
   * train and val sets as the preprocessed one (which may hold more folds).
   */
  public static void copyFromRaw(Path rawSplitsFile, Path preprocessedSplitsFile) {
    if (!Files.exists(rawSplitsFile)) {
      return;
    }
    if (!Files.exists(preprocessedSplitsFile)) {
      try {
        AtomicFiles.write(preprocessedSplitsFile, Files.readAllBytes(rawSplitsFile));
      } catch (IOException e) {
        throw new InvalidInputException(rawSplitsFile, "cannot read: " + e.getMessage(), e);
      }
      return;
    }
    List<FoldSplit> source = read(rawSplitsFile);
    List<FoldSplit> target = read(preprocessedSplitsFile);
    for (int fold = 0; fold < source.size(); fold++) {
      if (fold >= target.size()
          || !new HashSet<>(source.get(fold).train()).equals(new HashSet<>(target.get(fold).train()))
          || !new HashSet<>(source.get(fold).val()).equals(new HashSet<>(target.get(fold).val()))) {
        throw new InvalidInputException(preprocessedSplitsFile, "fold " + fold + " differs from "
            + rawSplitsFile + "; delete one of the two files or make them agree");
      }
    }
  }

  private static void checkKnown(Path file, int fold, String part, List<String> ids, Set<String> known) {
    for (String id : ids) {
      if (!known.contains(id)) {
        throw new InvalidInputException(file, "fold " + fold + " \"" + part + "\" names case '" + id
            + "', which is not a training case of this dataset");
      }
    }
  }

  private static List<String> sortedUnique(Collection<String> caseIds) {
    String[] ids = caseIds.toArray(new String[0]);
    Arrays.sort(ids, NUMPY_STRING_ORDER);
    for (int i = 1; i < ids.length; i++) {
      if (ids[i].equals(ids[i - 1])) {
        throw new IllegalArgumentException("duplicate case id '" + ids[i] + "'");
      }
    }
    return List.of(ids);
  }
}
