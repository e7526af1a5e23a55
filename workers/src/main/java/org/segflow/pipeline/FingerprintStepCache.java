package org.segflow.pipeline;

import java.nio.file.Path;
import java.util.List;
import org.segflow.dataset.DatasetManifest;

/**
 * The step cache of fingerprint: the key (raw dataset.json's and manifest.json's sha256s, the
 * integrity check, the sample budget, engine version) is written last as {@value #FILE_NAME} in the
 * preprocessed folder, and removed before a run starts.
 */
public final class FingerprintStepCache {

  public static final String FILE_NAME = "segflow_step_cache_fingerprint.txt";

  private FingerprintStepCache() {}

  public static StepCacheKey key(String dataset, Path rawDir) {
    return new StepCacheKey("fingerprint").add("dataset", dataset)
        .add("input dataset.json", DatasetManifest.sha256(rawDir.resolve("dataset.json")))
        .add("input manifest.json", DatasetManifest.sha256(rawDir.resolve("manifest.json")))
        .add("option verify_integrity", true)
        .add("option foreground_samples", FingerprintStep.SAMPLES);
  }

  /** Whether {@code ppDir} holds a fingerprint (and dataset.json copy) made from exactly {@code key}'s inputs. */
  public static boolean hit(Path ppDir, StepCacheKey key) {
    return record(ppDir).matches(key, List.of(ppDir.resolve(FingerprintStep.FILE_NAME),
        ppDir.resolve(FingerprintStep.DATASET_JSON)));
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
}
