package org.segflow.plan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.segflow.dataset.DatasetLabels;
import org.segflow.dataset.DatasetLocator;
import org.segflow.dataset.DatasetName;
import org.segflow.dataset.IntegrityVerifier;
import org.segflow.dataset.RawCase;
import org.segflow.dataset.RawDataset;
import org.segflow.fingerprint.DatasetFingerprint;
import org.segflow.fingerprint.FingerprintExtractor;
import org.segflow.preprocess.DatasetPreprocessor;
import org.segflow.preprocess.PreprocessingParameters;
import org.segflow.storage.AtomicFiles;
import org.segflow.storage.SegflowPaths;

/**
 * nnU-Net's {@code plan_and_preprocess} for one dataset: optional integrity check, fingerprint,
 * 2d plans, preprocessing and the 5-fold splits, each written atomically under preprocessed/.
 */
public final class PlanAndPreprocess {

  /** What the user can choose; {@link #DEFAULTS} mirrors nnU-Net's defaults. */
  public record Options(boolean verifyIntegrity, double gpuMemoryTargetGb, String plansName, int threads) {
    public static final Options DEFAULTS = new Options(false,
        ExperimentPlanner.DEFAULT_GPU_MEMORY_TARGET_GB, ExperimentPlanner.DEFAULT_PLANS_NAME, 2);
  }

  /** Where everything went and how long each step took (seconds, in step order). */
  public record Result(DatasetName dataset, Path preprocessedDir, Path fingerprintFile, Path plansFile,
      Path splitsFile, Path dataDir, int numCases, Map<String, Double> stepSeconds) {}

  private final SegflowPaths paths;
  private final Consumer<String> log;

  public PlanAndPreprocess(SegflowPaths paths, Consumer<String> log) {
    this.paths = paths;
    this.log = log;
  }

  public Result run(String datasetRef, Options options) {
    Map<String, Double> seconds = new LinkedHashMap<>();
    DatasetName name = DatasetLocator.of(paths).resolve(datasetRef);
    Path rawDir = paths.raw().resolve(name.folderName());
    Path ppDir = paths.preprocessed().resolve(name.folderName());

    long t = System.nanoTime();
    RawDataset raw;
    if (options.verifyIntegrity()) {
      log.accept("Verifying dataset integrity of " + rawDir);
      raw = new IntegrityVerifier(options.threads()).verify(rawDir);
      log.accept("verify_dataset_integrity Done. If you didn't see any error messages then your dataset is"
          + " most likely OK!");
    } else {
      raw = RawDataset.open(rawDir);
    }
    List<RawCase> cases = raw.trainingCases();
    seconds.put("verify", elapsed(t));

    t = System.nanoTime();
    log.accept("Fingerprint extraction: " + cases.size() + " cases");
    DatasetFingerprint fingerprint = new FingerprintExtractor(options.threads(),
        org.segflow.preprocess.NonzeroCropper.NNUNET).extract(cases);
    Path fingerprintFile = ppDir.resolve("dataset_fingerprint.json");
    FingerprintExtractor.write(fingerprintFile, fingerprint);
    copy(rawDir.resolve("dataset.json"), ppDir.resolve("dataset.json"));
    seconds.put("fingerprint", elapsed(t));

    t = System.nanoTime();
    Plans plans = new ExperimentPlanner(options.gpuMemoryTargetGb(), options.plansName())
        .plan(name.folderName(), raw.json(), fingerprint);
    Path plansFile = PlansWriter.plansFile(ppDir, options.plansName());
    PlansWriter.write(plansFile, plans);
    PlansConfiguration config = plans.configuration(Plans.CONFIGURATION_2D);
    log.accept("2d plan: patch " + config.patchSize() + ", batch " + config.batchSize() + ", "
        + config.archKwargs().nStages() + " stages, normalization " + config.normalizationSchemes());
    seconds.put("plan", elapsed(t));

    t = System.nanoTime();
    DatasetLabels labels = raw.labels();
    PreprocessingParameters params = PreprocessingParameters.for2d(config.normalizationSchemes(),
        config.useMaskForNorm(), plans.foregroundIntensityPropertiesPerChannel(), labels.foregroundLabels());
    Path dataDir = ppDir.resolve(config.dataIdentifier());
    log.accept("Preprocessing " + cases.size() + " cases into " + dataDir);
    DatasetPreprocessor.preprocessDataset(cases, params, dataDir, ppDir.resolve("gt_segmentations"));
    seconds.put("preprocess", elapsed(t));

    t = System.nanoTime();
    Path splitsFile = ppDir.resolve(CrossValidationSplits.FILE_NAME);
    Path rawSplits = rawDir.resolve(CrossValidationSplits.FILE_NAME);
    if (Files.exists(rawSplits)) {
      CrossValidationSplits.copyFromRaw(rawSplits, splitsFile);
    }
    boolean existed = Files.exists(splitsFile);
    CrossValidationSplits.loadOrCreate(splitsFile, cases.stream().map(RawCase::id).toList());
    log.accept(existed ? "Using splits from existing split file: " + splitsFile
        : "Creating new 5-fold cross-validation split...");
    seconds.put("splits", elapsed(t));
    return new Result(name, ppDir, fingerprintFile, plansFile, splitsFile, dataDir, cases.size(), seconds);
  }

  private static void copy(Path from, Path to) {
    try {
      AtomicFiles.write(to, Files.readAllBytes(from));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy " + from, e);
    }
  }

  private static double elapsed(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
