package org.segflow.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline's predict step: the dataset's test images (raw/DatasetXXX/imagesTs, else the source's
 * crop_test/) segmented with the folds' final checkpoints and find-best's postprocessing into
 * predictions/DatasetXXX_Name/RUN/, then scored against labelsTs (and inside masksTs) when the test
 * labels exist, into summary.json there. Cached by its inputs ({@link PredictStepCache}): when every case's
 * outputs and the scoring are on disk, made from the same test images, checkpoints, postprocessing and
 * options, nothing is loaded or predicted and the same result is returned.
 */
public final class TestSetPrediction {

  private static final Logger LOG = LoggerFactory.getLogger(TestSetPrediction.class);

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
    PredictionJob job = new PredictionJob(paths);
    PredictionJob.Request request = new PredictionJob.Request(input, out, r.dataset(), Plans.CONFIGURATION_2D,
        ExperimentPlanner.DEFAULT_PLANS_NAME, r.folds().stream().map(String::valueOf).toList(),
        ModelFiles.CheckpointChoice.FINAL, PredictionOptions.defaults(), true, resources.device(),
        resources.threads());
    PredictionJob.Inputs inputs = job.inputs(request);
    Path labels = raw.resolve(RawDataset.LABELS_TS);
    Path masks = raw.resolve(RawDataset.MASKS_TS);
    PredictStepCache.Scoring scoring = input.startsWith(raw) && hasFiles(labels)
        ? new PredictStepCache.Scoring(labels, hasFiles(masks) ? masks : null) : PredictStepCache.Scoring.NONE;
    StepCacheKey key = PredictStepCache.key(paths, request, inputs, r.inferenceInformation(), scoring);
    if (PredictStepCache.hit(inputs, request.options(), scoring, key)) {
      Optional<PredictResult> cached = cached(out, inputs.scan().cases().size(), scoring, key.key());
      if (cached.isPresent()) {
        LOG.info("predict {}: cache hit (key {}), {} test case(s) predicted from the same images, checkpoints,"
            + " postprocessing and options", r.dataset(), key.key(), cached.get().numCases());
        return cached.get();
      }
    }
    PredictStepCache.invalidate(out);
    PredictionJob.Result result = job.run(request, listener);
    if (!result.report().ok()) {
      throw failure(input, result.report());
    }
    int cases = result.report().written().size() + result.report().skipped().size();
    StepRef summaryRef = null;
    double dice = Double.NaN;
    double fovDice = Double.NaN;
    if (scoring.scored()) {
      Summary s = EvaluationSetup.resolve(out, labels, List.of(), null).evaluate(out, labels, scoring.masks());
      SummaryJson.write(out.resolve(SUMMARY), s);
      summaryRef = StepRefs.of(paths, out.resolve(SUMMARY));
      dice = s.foregroundMeanDice();
      fovDice = s.hasFov() ? s.fovForegroundMean().dice() : Double.NaN;
    }
    // the key last, and only when the inputs did not change while the cases were predicted
    if (key.text().equals(PredictStepCache.key(paths, request, job.inputs(request), r.inferenceInformation(),
        scoring).text())) {
      PredictStepCache.record(out, key);
    } else {
      LOG.warn("predict {}: the test images or the model changed while predicting; not cached", r.dataset());
    }
    return new PredictResult(StepRefs.relative(paths, out), StepRefs.relative(paths, out.resolve(CaseOutputs.OVERLAYS)),
        cases, summaryRef, dice, fovDice, key.key(), false);
  }

  /**
   * The result as the files of an earlier prediction with the same inputs give it (the scoring read back
   * from summary.json); empty when summary.json is unreadable: the test set is then predicted again.
   */
  private Optional<PredictResult> cached(Path out, int cases, PredictStepCache.Scoring scoring, String key) {
    StepRef summaryRef = null;
    double dice = Double.NaN;
    double fovDice = Double.NaN;
    if (scoring.scored()) {
      Path file = out.resolve(SUMMARY);
      try {
        Summary s = SummaryJson.read(file);
        dice = s.foregroundMeanDice();
        fovDice = s.hasFov() ? s.fovForegroundMean().dice() : Double.NaN;
      } catch (InvalidInputException | IllegalArgumentException e) {
        LOG.info("predict: {} is unreadable ({}); predicting the test set again", file, e.getMessage());
        return Optional.empty();
      }
      summaryRef = StepRefs.of(paths, file);
    }
    return Optional.of(new PredictResult(StepRefs.relative(paths, out),
        StepRefs.relative(paths, out.resolve(CaseOutputs.OVERLAYS)), cases, summaryRef, dice, fovDice, key, true));
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
