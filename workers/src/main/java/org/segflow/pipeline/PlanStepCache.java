package org.segflow.pipeline;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.segflow.dataset.DatasetManifest;
import org.segflow.plan.CrossValidationSplits;
import org.segflow.plan.PlansWriter;

/**
 * The step cache of plan (plans, preprocessing, splits): the key (the fingerprint's, raw
 * dataset.json's and manifest.json's sha256s, options, engine version) is written last as
 * {@value #FILE_NAME} in the preprocessed folder, and removed before a run starts.
 */
public final class PlanStepCache {

  public static final String FILE_NAME = "segflow_step_cache_plan.txt";

  private PlanStepCache() {}

  public static StepCacheKey key(String dataset, Path rawDir, Path fingerprintFile, double gpuMemoryTargetGb,
      String plansName) {
    return new StepCacheKey("plan_and_preprocess").add("dataset", dataset)
        .add("input dataset_fingerprint.json", DatasetManifest.sha256(fingerprintFile))
        .add("input dataset.json", DatasetManifest.sha256(rawDir.resolve("dataset.json")))
        .add("input manifest.json", DatasetManifest.sha256(rawDir.resolve("manifest.json")))
        .add("option gpu_memory_target_gb", String.format(Locale.ROOT, "%s", gpuMemoryTargetGb))
        .add("option plans_name", plansName);
  }

  /** Whether {@code ppDir} holds complete outputs made from exactly {@code key}'s inputs. */
  public static boolean hit(Path ppDir, StepCacheKey key, String plansName) {
    return record(ppDir).matches(key, outputs(ppDir, plansName));
  }

  public static void invalidate(Path ppDir) {
    record(ppDir).invalidate();
  }

  public static void record(Path ppDir, StepCacheKey key) {
    record(ppDir).record(key);
  }

  private static StepCacheRecord record(Path ppDir) {
    return new StepCacheRecord(ppDir.resolve(FILE_NAME));
  }

  private static List<Path> outputs(Path ppDir, String plansName) {
    return List.of(PlansWriter.plansFile(ppDir, plansName), ppDir.resolve(CrossValidationSplits.FILE_NAME),
        ppDir.resolve("gt_segmentations"));
  }
}
