package org.segflow.activity;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.segflow.dataset.DatasetName;
import org.segflow.dataset.RawCase;
import org.segflow.dataset.RawDataset;
import org.segflow.fingerprint.DatasetFingerprint;
import org.segflow.plan.CrossValidationSplits;
import org.segflow.plan.ExperimentPlanner;
import org.segflow.plan.Plans;
import org.segflow.plan.PlansConfiguration;
import org.segflow.plan.PlansWriter;
import org.segflow.preprocess.DatasetPreprocessor;
import org.segflow.preprocess.PreprocessingParameters;

/**
 * The second half of {@link org.segflow.plan.PlanAndPreprocess} as its own pipeline step: the 2d
 * plans from a written fingerprint, the preprocessed training cases and splits_final.json, the same
 * files plan_and_preprocess writes.
 */
public final class PlanStep {

  private PlanStep() {}

  /** Where the plans went and how many cases were preprocessed. */
  public record Output(Path plansFile, Path splitsFile, Path dataDir, int numCases) {}

  public static Output run(DatasetName name, Path rawDir, Path ppDir, Path fingerprintFile, double gpuMemoryTargetGb,
      String plansName, Consumer<String> log) {
    RawDataset raw = RawDataset.open(rawDir);
    List<RawCase> cases = raw.trainingCases();
    DatasetFingerprint fingerprint = FingerprintStep.read(fingerprintFile);
    Plans plans = new ExperimentPlanner(gpuMemoryTargetGb, plansName).plan(name.folderName(), raw.json(), fingerprint);
    Path plansFile = PlansWriter.plansFile(ppDir, plansName);
    PlansWriter.write(plansFile, plans);
    PlansConfiguration config = plans.configuration(Plans.CONFIGURATION_2D);
    log.accept("2d plan: patch " + config.patchSize() + ", batch " + config.batchSize() + ", "
        + config.archKwargs().nStages() + " stages, normalization " + config.normalizationSchemes());

    PreprocessingParameters params = PreprocessingParameters.for2d(config.normalizationSchemes(),
        config.useMaskForNorm(), plans.foregroundIntensityPropertiesPerChannel(), raw.labels().foregroundLabels());
    Path dataDir = ppDir.resolve(config.dataIdentifier());
    log.accept("Preprocessing " + cases.size() + " cases into " + dataDir);
    DatasetPreprocessor.preprocessDataset(cases, params, dataDir, ppDir.resolve("gt_segmentations"));

    Path splitsFile = ppDir.resolve(CrossValidationSplits.FILE_NAME);
    Path rawSplits = rawDir.resolve(CrossValidationSplits.FILE_NAME);
    if (Files.exists(rawSplits)) {
      CrossValidationSplits.copyFromRaw(rawSplits, splitsFile);
    }
    CrossValidationSplits.loadOrCreate(splitsFile, cases.stream().map(RawCase::id).toList());
    return new Output(plansFile, splitsFile, dataDir, cases.size());
  }
}
