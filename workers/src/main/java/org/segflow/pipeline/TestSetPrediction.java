package org.segflow.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.segflow.InvalidInputException;
import org.segflow.contract.PredictRequest;
import org.segflow.contract.PredictResult;
import org.segflow.contract.StepRef;
import org.segflow.dataset.RawDataset;
import org.segflow.dataset.SourceScanner;
import org.segflow.evaluate.Summary;
import org.segflow.evaluate.SummaryJson;
import org.segflow.findbest.EvaluationSetup;
import org.segflow.plan.ExperimentPlanner;
import org.segflow.plan.Plans;
import org.segflow.predict.CaseOutputs;
import org.segflow.predict.ModelFiles;
import org.segflow.predict.PredictionJob;
import org.segflow.predict.PredictionListener;
import org.segflow.predict.PredictionOptions;
import org.segflow.predict.PredictionReport;
import org.segflow.storage.SegflowPaths;

/**
 * The pipeline's predict step: the dataset's test images (raw/DatasetXXX/imagesTs, else the source's
 * crop_test/) segmented with the folds' final checkpoints and find-best's postprocessing into
 * predictions/DatasetXXX_Name/RUN/, then scored against labelsTs (and inside masksTs) when the test
 * labels exist, into summary.json there.
 */
public final class TestSetPrediction {

  public static final String SUMMARY = "summary.json";

  /** Where and how a worker predicts. */
  public record Resources(String device, int threads) {}

  private final SegflowPaths paths;
  private final Resources resources;

  public TestSetPrediction(SegflowPaths paths, Resources resources) {
    this.paths = paths;
    this.resources = resources;
  }

  public PredictResult run(PredictRequest r, PredictionListener listener) {
    StepRefs.verified(paths, r.inferenceInformation());
    Path raw = paths.raw().resolve(r.dataset());
    Path input = input(raw, r);
    Path out = outputFolder(paths, r.dataset(), r.runName());
    PredictionJob.Result job = new PredictionJob(paths).run(new PredictionJob.Request(input, out, r.dataset(),
        Plans.CONFIGURATION_2D, ExperimentPlanner.DEFAULT_PLANS_NAME, r.folds().stream().map(String::valueOf).toList(),
        ModelFiles.CheckpointChoice.FINAL, PredictionOptions.defaults(), true, resources.device(),
        resources.threads()), listener);
    if (!job.report().ok()) {
      throw failure(input, job.report());
    }
    int cases = job.report().written().size() + job.report().skipped().size();
    Path labels = raw.resolve(RawDataset.LABELS_TS);
    StepRef summaryRef = null;
    double dice = Double.NaN;
    double fovDice = Double.NaN;
    if (input.startsWith(raw) && hasFiles(labels)) {
      Path masks = raw.resolve(RawDataset.MASKS_TS);
      Summary s = EvaluationSetup.resolve(out, labels, List.of(), null)
          .evaluate(out, labels, hasFiles(masks) ? masks : null);
      SummaryJson.write(out.resolve(SUMMARY), s);
      summaryRef = StepRefs.of(paths, out.resolve(SUMMARY));
      dice = s.foregroundMeanDice();
      fovDice = s.hasFov() ? s.fovForegroundMean().dice() : Double.NaN;
    }
    return new PredictResult(StepRefs.relative(paths, out), StepRefs.relative(paths, out.resolve(CaseOutputs.OVERLAYS)),
        cases, summaryRef, dice, fovDice);
  }

  /** predictions/DatasetXXX_Name/RUN/ */
  public static Path outputFolder(SegflowPaths paths, String dataset, String runName) {
    if (runName == null || runName.isBlank() || runName.contains("/") || runName.contains("\\")
        || runName.startsWith(".")) {
      throw new InvalidInputException("run name '" + runName + "' cannot name a folder under "
          + paths.predictions().resolve(dataset));
    }
    return paths.predictions().resolve(dataset).resolve(runName);
  }

  private Path input(Path raw, PredictRequest r) {
    Path imagesTs = raw.resolve(RawDataset.IMAGES_TS);
    if (hasFiles(imagesTs)) {
      return imagesTs;
    }
    if (r.source() != null) {
      Path cropTest = StepRefs.resolve(paths, r.source()).resolve(SourceScanner.CROP_TEST);
      if (hasFiles(cropTest)) {
        return cropTest;
      }
    }
    throw new InvalidInputException(imagesTs, "no test images to predict: neither this folder nor the source's "
        + SourceScanner.CROP_TEST + "/ holds any");
  }

  private static boolean hasFiles(Path dir) {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.anyMatch(p -> !p.getFileName().toString().startsWith("."));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  /**
   * What a run with failed cases throws: invalid input (final: the test set must be fixed) only when
   * every failure is the input's fault; otherwise a plain failure, which Temporal retries (the engine
   * ran out of memory, a disk hiccup) by predicting the test set again.
   */
  static RuntimeException failure(Path input, PredictionReport report) {
    StringBuilder s = new StringBuilder(report.failures().size() + " test case(s) could not be predicted:");
    report.failures().forEach(f -> s.append("\n  ").append(f.caseId()).append(": ").append(f.message()));
    return report.onlyInvalidInput() ? new InvalidInputException(input, s.toString())
        : new IllegalStateException(input + ": " + s + "\n(not the input's fault: retried)");
  }
}
