package org.segflow.activity;

import java.nio.file.Files;
import java.util.List;
import org.segflow.predict.ModelFiles;
import org.segflow.registry.ModelRegistry;
import org.segflow.contract.EnsembleRequest;
import org.segflow.contract.EnsembleResult;
import org.segflow.contract.StepRef;
import org.segflow.ensemble.BestConfigurationFinder;
import org.segflow.ensemble.CrossValidationResults;
import org.segflow.ensemble.InferenceInformation;
import org.segflow.net.Engines;
import org.segflow.plan.ExperimentPlanner;
import org.segflow.registry.ModelVersion;
import org.segflow.storage.SegflowPaths;
import org.segflow.trust.TrustCalibration;
import org.segflow.trust.TrustProfile;
import org.segflow.trust.TrustProfiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline's ensemble step over {@link BestConfigurationFinder}: the trained folds (their final
 * checkpoints verified unchanged) merged into the cross-validation folder, scored, postprocessing
 * chosen, inference_information.json written, the chosen model published with its trust profile;
 * returns references to what it wrote.
 */
public final class BestConfigurationStep {

  private static final Logger LOG = LoggerFactory.getLogger(BestConfigurationStep.class);

  private final SegflowPaths paths;

  public BestConfigurationStep(SegflowPaths paths) {
    this.paths = paths;
  }

  public EnsembleResult run(EnsembleRequest r) {
    for (StepRef checkpoint : r.checkpoints()) {
      StepRefs.verified(paths, checkpoint);
    }
    BestConfigurationFinder.Result found = new BestConfigurationFinder(paths).find(r.dataset(),
        new BestConfigurationFinder.Options(List.of(), r.folds(), ExperimentPlanner.DEFAULT_PLANS_NAME));
    LOG.info("find-best {}:\n{}", r.dataset(), new InferenceInformation(found.dataset(), found.folds(),
        found.candidates(), found.best(), found.postprocessing()).report());
    CrossValidationResults.Result cv = found.best().crossValidation();
    // publish the chosen model so arriving images are segmented by it (the first version is promoted;
    // publishing the same files again returns the existing version)
    var model = found.best().model().model();
    var version = new ModelRegistry(paths).publish(new ModelRegistry.Publication(r.dataset(), model.configuration(),
        model.plansIdentifier(), r.folds().stream().map(String::valueOf).toList(), ModelFiles.CheckpointChoice.FINAL));
    LOG.info("model {} published for {}", version.version(), r.dataset());
    calibrate(version);
    return new EnsembleResult(StepRefs.of(paths, found.informationFile()),
        StepRefs.of(paths, cv.folder().resolve(CrossValidationResults.SUMMARY)),
        StepRefs.of(paths, found.postprocessing().postprocessingFile()),
        found.best().model().model().identifier(), cv.foregroundMeanDice(), cv.fovForegroundMeanDice(),
        !found.postprocessing().decision().postprocessing().isNone());
  }

  /**
   * The version's trust profile (drift and confidence thresholds from the cross-validation), once per
   * version. Without one the model still segments, unscored, so a failure is logged, not thrown.
   */
  private void calibrate(ModelVersion version) {
    TrustProfiles profiles = new TrustProfiles(paths);
    if (Files.isRegularFile(profiles.file(version))) {
      return;
    }
    try {
      TrustProfile p = new TrustCalibration(paths).calibrate(version, Engines.device("cpu", Engines.pytorch(0)));
      LOG.info("trust profile of {} {}: drift threshold {}, confidence threshold {}, from {} cross-validation"
          + " cases", version.dataset(), version.version(), p.drift().threshold(), p.confidence().threshold(),
          p.crossvalCases());
    } catch (RuntimeException e) {
      LOG.warn("no trust profile for {} {}: its images will not be scored ({})", version.dataset(),
          version.version(), e.getMessage(), e);
    }
  }
}
