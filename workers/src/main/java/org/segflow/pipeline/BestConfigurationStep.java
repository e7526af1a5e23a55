package org.segflow.pipeline;

import java.util.List;
import org.segflow.contract.FindBestRequest;
import org.segflow.contract.FindBestResult;
import org.segflow.contract.StepRef;
import org.segflow.findbest.BestConfigurationFinder;
import org.segflow.findbest.CrossValidationResults;
import org.segflow.findbest.InferenceInformation;
import org.segflow.plan.ExperimentPlanner;
import org.segflow.release.ModelRelease;
import org.segflow.storage.SegflowPaths;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline's find-best step over {@link BestConfigurationFinder}: the trained folds (their final
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

  public FindBestResult run(FindBestRequest r) {
    for (StepRef checkpoint : r.checkpoints()) {
      StepRefs.verified(paths, checkpoint);
    }
    BestConfigurationFinder.Result found = new BestConfigurationFinder(paths).find(r.dataset(),
        new BestConfigurationFinder.Options(List.of(), r.folds(), ExperimentPlanner.DEFAULT_PLANS_NAME));
    LOG.info("find-best {}:\n{}", r.dataset(), new InferenceInformation(found.dataset(), found.folds(),
        found.candidates(), found.best(), found.postprocessing()).report());
    CrossValidationResults.Result cv = found.best().crossValidation();
    new ModelRelease(paths).publish(found);
    return new FindBestResult(StepRefs.of(paths, found.informationFile()),
        StepRefs.of(paths, cv.folder().resolve(CrossValidationResults.SUMMARY)),
        StepRefs.of(paths, found.postprocessing().postprocessingFile()),
        found.best().model().model().identifier(), cv.foregroundMeanDice(), cv.fovForegroundMeanDice(),
        !found.postprocessing().decision().postprocessing().isNone());
  }
}
