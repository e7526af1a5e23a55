package org.segflow.plan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.segflow.InvalidInputException;
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
import org.segflow.storage.StaleTemps;

/**
 * nnU-Net's {@code plan_and_preprocess} for one dataset: optional integrity check, fingerprint,
 * 2d plans, preprocessing and the 5-fold splits, each written atomically under preprocessed/.
 */
public final class PlanAndPreprocess {

  /** What the user can choose; {@link #DEFAULTS} mirrors nnU-Net's defaults. */
  public record Options(boolean verifyIntegrity, double gpuMemoryTargetGb, String plansName, int threads) {
    /** Checked here, before the fingerprint is taken, named as the command line names them. */
    public Options {
      ExperimentPlanner.requireMemoryTarget(gpuMemoryTargetGb, "--memory-target-gb");
      ExperimentPlanner.requirePlansName(plansName, "--plans-name");
      if (threads < 1) {
        throw new InvalidInputException("--threads must be at least 1, got " + threads);
      }
    }

    public static final Options DEFAULTS = new Options(false,
        ExperimentPlanner.DEFAULT_GPU_MEMORY_TARGET_GB, ExperimentPlanner.DEFAULT_PLANS_NAME, 2);
  }

  /** Where everything went and how long each step took (seconds, in step order). */
  public record Result(DatasetName dataset, Path preprocessedDir, Path fingerprintFile, Path plansFile,
      Path splitsFile, Path dataDir, int numCases, Map<String, Double> stepSeconds) {}

  public static final String FINGERPRINT_FILE = "dataset_fingerprint.json";

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
    RawDataset raw = open(rawDir, options.verifyIntegrity(), options.threads(), log);
    seconds.put("verify", elapsed(t));

    t = System.nanoTime();
    DatasetFingerprint fingerprint = writeFingerprint(raw, rawDir, ppDir, options.threads(), log);
    seconds.put("fingerprint", elapsed(t));

    Planned planned = planPreprocessSplit(name, raw, rawDir, ppDir, fingerprint, options.gpuMemoryTargetGb(),
        options.plansName(), log, seconds);
    return new Result(name, ppDir, ppDir.resolve(FINGERPRINT_FILE), planned.plansFile(), planned.splitsFile(),
        planned.dataDir(), planned.numCases(), seconds);
  }

  /** The raw dataset, checked as nnU-Net's --verify_dataset_integrity does when asked. */
  public static RawDataset open(Path rawDir, boolean verifyIntegrity, int threads, Consumer<String> log) {
    if (!verifyIntegrity) {
      return RawDataset.open(rawDir);
    }
    log.accept("Verifying dataset integrity of " + rawDir);
    RawDataset raw = new IntegrityVerifier(threads).verify(rawDir);
    log.accept("verify_dataset_integrity Done. If you didn't see any error messages then your dataset is"
        + " most likely OK!");
    return raw;
  }

  /** The fingerprint step: dataset_fingerprint.json and a copy of dataset.json under {@code ppDir}. */
  public static DatasetFingerprint writeFingerprint(RawDataset raw, Path rawDir, Path ppDir, int threads,
      Consumer<String> log) {
    StaleTemps.sweep(ppDir); // what a killed fingerprint or preprocess step left there
    List<RawCase> cases = raw.trainingCases();
    log.accept("Fingerprint extraction: " + cases.size() + " cases");
    DatasetFingerprint fingerprint = new FingerprintExtractor(threads,
        org.segflow.preprocess.NonzeroCropper.NNUNET).extract(cases, log);
    FingerprintExtractor.write(ppDir.resolve(FINGERPRINT_FILE), fingerprint);
    copy(rawDir.resolve(RawDataset.DATASET_JSON), ppDir.resolve(RawDataset.DATASET_JSON));
    return fingerprint;
  }

  /** What the plan step wrote. */
  public record Planned(Path plansFile, Path splitsFile, Path dataDir, int numCases) {}

  /**
   * The plan step from a fingerprint: 2d plans, the preprocessed training cases and splits_final.json
   * (copied from raw/ when the dataset brings its own); adds "plan", "preprocess" and "splits" to
   * {@code seconds}.
   */
  public static Planned planPreprocessSplit(DatasetName name, RawDataset raw, Path rawDir, Path ppDir,
      DatasetFingerprint fingerprint, double gpuMemoryTargetGb, String plansName, Consumer<String> log,
      Map<String, Double> seconds) {
    StaleTemps.sweep(ppDir);
    List<RawCase> cases = raw.trainingCases();
    long t = System.nanoTime();
    Plans plans = new ExperimentPlanner(gpuMemoryTargetGb, plansName).plan(name.folderName(), raw.json(), fingerprint);
    Path plansFile = PlansWriter.plansFile(ppDir, plansName);
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
    DatasetPreprocessor.preprocessDataset(cases, params, dataDir, ppDir.resolve("gt_segmentations"), log);
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
    return new Planned(plansFile, splitsFile, dataDir, cases.size());
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
