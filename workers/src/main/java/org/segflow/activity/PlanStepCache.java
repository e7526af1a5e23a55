package org.segflow.activity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.segflow.plan.CrossValidationSplits;
import org.segflow.plan.PlanAndPreprocess;
import org.segflow.plan.PlansWriter;
import org.segflow.storage.AtomicFiles;

/**
 * The step cache of plan-and-preprocess: the key (raw dataset.json and manifest.json sha256s,
 * options, engine version) is written last as {@value #FILE_NAME} in the preprocessed folder, and
 * removed before a run starts, so a present key always describes complete outputs.
 */
public final class PlanStepCache {

  public static final String FILE_NAME = "segflow_step_cache_plan.txt";

  private PlanStepCache() {}

  public static StepCacheKey key(String dataset, Path rawDir, PlanAndPreprocess.Options o) {
    return new StepCacheKey("plan_and_preprocess").add("dataset", dataset)
        .add("input dataset.json", StepRefs.sha256(rawDir.resolve("dataset.json")))
        .add("input manifest.json", StepRefs.sha256(rawDir.resolve("manifest.json")))
        .add("option verify_integrity", o.verifyIntegrity())
        .add("option gpu_memory_target_gb", String.format(Locale.ROOT, "%s", o.gpuMemoryTargetGb()))
        .add("option plans_name", o.plansName());
  }

  /** Whether {@code ppDir} holds complete outputs made from exactly {@code key}'s inputs. */
  public static boolean hit(Path ppDir, StepCacheKey key, String plansName) {
    Path file = ppDir.resolve(FILE_NAME);
    try {
      return Files.isRegularFile(file)
          && Files.readString(file, StandardCharsets.UTF_8).equals(key.text())
          && outputs(ppDir, plansName).stream().allMatch(Files::exists);
    } catch (IOException e) {
      return false;
    }
  }

  public static void invalidate(Path ppDir) {
    try {
      Files.deleteIfExists(ppDir.resolve(FILE_NAME));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove the stale cache key in " + ppDir, e);
    }
  }

  public static void record(Path ppDir, StepCacheKey key) {
    AtomicFiles.write(ppDir.resolve(FILE_NAME), key.text().getBytes(StandardCharsets.UTF_8));
  }

  private static List<Path> outputs(Path ppDir, String plansName) {
    return List.of(PlansWriter.plansFile(ppDir, plansName), ppDir.resolve(CrossValidationSplits.FILE_NAME),
        ppDir.resolve("dataset_fingerprint.json"), ppDir.resolve("dataset.json"), ppDir.resolve("gt_segmentations"));
  }
}
