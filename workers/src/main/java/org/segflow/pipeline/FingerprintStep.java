package org.segflow.pipeline;

import java.nio.file.Path;
import java.util.function.Consumer;
import org.segflow.dataset.RawDataset;
import org.segflow.fingerprint.DatasetFingerprint;
import org.segflow.fingerprint.FingerprintExtractor;
import org.segflow.plan.PlanAndPreprocess;
import org.segflow.storage.Json;

/**
 * The first half of {@link PlanAndPreprocess} as its own pipeline step: verify the
 * raw dataset's integrity, extract nnU-Net's fingerprint into preprocessed/DatasetNNN_Name/ and copy
 * dataset.json beside it, as plan_and_preprocess does.
 */
public final class FingerprintStep {

  public static final String FILE_NAME = PlanAndPreprocess.FINGERPRINT_FILE;
  static final String DATASET_JSON = RawDataset.DATASET_JSON;
  static final double SAMPLES = FingerprintExtractor.TOTAL_FOREGROUND_SAMPLES;

  private FingerprintStep() {}

  /** Writes the fingerprint of {@code rawDir} into {@code ppDir}; returns the training cases fingerprinted. */
  public static int run(Path rawDir, Path ppDir, int threads, Consumer<String> log) {
    RawDataset raw = PlanAndPreprocess.open(rawDir, true, threads, log);
    PlanAndPreprocess.writeFingerprint(raw, rawDir, ppDir, threads, log);
    return raw.trainingCases().size();
  }

  public static DatasetFingerprint read(Path file) {
    return Json.read(file, DatasetFingerprint.class);
  }
}
