package org.segflow.preprocess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.segflow.InvalidInputException;
import org.segflow.StepProgress;
import org.segflow.dataset.RawCase;
import org.segflow.storage.AtomicFiles;

/**
 * Preprocesses a whole dataset (nnU-Net's {@code DefaultPreprocessor.run}): every case into a
 * configuration folder (see {@link PreprocessedStore} for the files) and the raw labels copied byte
 * for byte to {@code gt_segmentations/} for validation. Both folders are rebuilt from scratch on each
 * run, as nnU-Net deletes and rebuilds its output, and each appears under its final name only when
 * complete. The same input gives byte-identical files whatever the thread scheduling.
 */
public final class DatasetPreprocessor {

  private DatasetPreprocessor() {}

  /**
   * Preprocesses {@code cases} into {@code outDir} (e.g. preprocessed/DatasetXXX/nnUNetPlans_2d) and
   * copies each label file to {@code gtSegDir/CASE<ending>} (skipped when {@code gtSegDir} is null).
   */
  public static void preprocessDataset(List<RawCase> cases, PreprocessingParameters params,
      Path outDir, Path gtSegDir) {
    preprocessDataset(cases, params, outDir, gtSegDir, line -> { });
  }

  /** The same, with progress lines to {@code log}. */
  public static void preprocessDataset(List<RawCase> cases, PreprocessingParameters params,
      Path outDir, Path gtSegDir, Consumer<String> log) {
    preprocessDataset(cases, new Preprocessor(params), outDir, gtSegDir, CasePool.DEFAULT_THREADS,
        new StepProgress("preprocess", cases.size(), log));
  }

  public static void preprocessDataset(List<RawCase> cases, Preprocessor preprocessor, Path outDir,
      Path gtSegDir, int threads) {
    preprocessDataset(cases, preprocessor, outDir, gtSegDir, threads, StepProgress.silent(cases.size()));
  }

  private static void preprocessDataset(List<RawCase> cases, Preprocessor preprocessor, Path outDir,
      Path gtSegDir, int threads, StepProgress progress) {
    requireUniqueIds(cases);
    AtomicFiles.publishDirectory(outDir, tmp -> CasePool.forEachInOrder(cases, threads, "preprocess",
        raw -> {
          PreprocessedStore.write(tmp, preprocessor.run(raw));
          return raw.id();
        },
        id -> progress.caseDone()));
    if (gtSegDir != null) {
      AtomicFiles.publishDirectory(gtSegDir, tmp -> {
        for (RawCase raw : cases) {
          if (raw.label() != null) {
            copy(raw.label(), tmp.resolve(raw.id() + ending(raw.label())));
          }
        }
      });
    }
  }

  /** The label file's extension as written ({@code .png}), as nnU-Net keeps the dataset's ending. */
  static String ending(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot < 0 ? "" : name.substring(dot);
  }

  private static void copy(Path from, Path to) {
    try {
      Files.copy(from, to);
    } catch (java.nio.file.NoSuchFileException e) {
      throw new InvalidInputException(from, "label file not found");
    } catch (IOException e) {
      throw new UncheckedIOException("could not copy " + from + " to " + to, e);
    }
  }

  private static void requireUniqueIds(List<RawCase> cases) {
    Set<String> seen = new HashSet<>();
    for (RawCase c : cases) {
      if (!seen.add(c.id())) {
        throw new InvalidInputException("case id " + c.id() + " appears twice in the dataset");
      }
    }
  }
}
