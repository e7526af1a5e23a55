package org.segflow.activity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.segflow.dataset.IntegrityVerifier;
import org.segflow.dataset.RawCase;
import org.segflow.dataset.RawDataset;
import org.segflow.fingerprint.DatasetFingerprint;
import org.segflow.fingerprint.FingerprintExtractor;
import org.segflow.preprocess.NonzeroCropper;
import org.segflow.storage.AtomicFiles;
import org.segflow.storage.Json;

/**
 * The first half of {@link org.segflow.plan.PlanAndPreprocess} as its own pipeline step: verify the
 * raw dataset's integrity, extract nnU-Net's fingerprint into preprocessed/DatasetNNN_Name/ and copy
 * dataset.json beside it, as plan_and_preprocess does.
 */
public final class FingerprintStep {

  public static final String FILE_NAME = "dataset_fingerprint.json";
  static final String DATASET_JSON = RawDataset.DATASET_JSON;
  static final double SAMPLES = FingerprintExtractor.TOTAL_FOREGROUND_SAMPLES;

  private FingerprintStep() {}

  /** Writes the fingerprint of {@code rawDir} into {@code ppDir}; returns the training cases fingerprinted. */
  public static int run(Path rawDir, Path ppDir, int threads, Consumer<String> log) {
    log.accept("Verifying dataset integrity of " + rawDir);
    RawDataset raw = new IntegrityVerifier(threads).verify(rawDir);
    List<RawCase> cases = raw.trainingCases();
    log.accept("Fingerprint extraction: " + cases.size() + " cases");
    DatasetFingerprint fingerprint = new FingerprintExtractor(threads, NonzeroCropper.NNUNET).extract(cases);
    FingerprintExtractor.write(ppDir.resolve(FILE_NAME), fingerprint);
    try {
      AtomicFiles.write(ppDir.resolve(DATASET_JSON), Files.readAllBytes(rawDir.resolve(DATASET_JSON)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy " + rawDir.resolve(DATASET_JSON), e);
    }
    return cases.size();
  }

  public static DatasetFingerprint read(Path file) {
    return Json.read(file, DatasetFingerprint.class);
  }
}
