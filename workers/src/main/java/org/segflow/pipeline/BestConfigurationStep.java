package org.segflow.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.segflow.InvalidInputException;
import org.segflow.contract.FindBestRequest;
import org.segflow.contract.FindBestResult;
import org.segflow.contract.StepRef;
import org.segflow.dataset.DatasetLocator;
import org.segflow.dataset.DatasetName;
import org.segflow.evaluate.Summary;
import org.segflow.evaluate.SummaryJson;
import org.segflow.findbest.BestConfigurationFinder;
import org.segflow.findbest.CrossValidationResults;
import org.segflow.findbest.InferenceInformation;
import org.segflow.findbest.ModelIdentifier;
import org.segflow.plan.ExperimentPlanner;
import org.segflow.postprocess.Postprocessing;
import org.segflow.postprocess.PostprocessingDecision;
import org.segflow.release.ModelRelease;
import org.segflow.storage.Json;
import org.segflow.storage.SegflowPaths;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline's find-best step over {@link BestConfigurationFinder}: the trained folds (their final
 * checkpoints verified unchanged) merged into the cross-validation folder, scored, postprocessing
 * chosen, inference_information.json written, the chosen model published with its trust profile;
 * returns references to what it wrote. Cached by its inputs ({@link FindBestStepCache}): when the folds'
 * validation files, checkpoints, plans and references are unchanged, the files on disk are returned as
 * they are, nothing is scored again, and the model is published again, which the registry answers with
 * the version it already holds.
 */
public final class BestConfigurationStep {

  private static final Logger LOG = LoggerFactory.getLogger(BestConfigurationStep.class);

  private final SegflowPaths paths;

  public BestConfigurationStep(SegflowPaths paths) {
    this.paths = paths;
  }

  public FindBestResult run(FindBestRequest r) {
    Map<Path, String> verified = new HashMap<>();
    for (StepRef checkpoint : r.checkpoints()) {
      verified.put(StepRefs.verified(paths, checkpoint).toAbsolutePath().normalize(), checkpoint.sha256());
    }
    String plansName = ExperimentPlanner.DEFAULT_PLANS_NAME;
    DatasetName dataset = DatasetLocator.of(paths).resolve(r.dataset());
    List<Integer> folds = CrossValidationResults.checkFolds(r.folds());
    Path resultsDir = FindBestStepCache.resultsDir(paths, dataset);
    StepCacheKey key = FindBestStepCache.key(paths, dataset, folds, plansName, r.checkpoints());
    if (FindBestStepCache.hit(resultsDir, key)) {
      Optional<Cached> cached = cached(dataset, folds, key.key());
      if (cached.isPresent()) {
        // what the miss published: the registry answers with that version (or restores it when it is gone)
        new ModelRelease(paths).publish(dataset, cached.get().model(), folds, verified);
        LOG.info("find-best {}: cache hit (key {}), {} with cross-validation Dice {}", dataset, key.key(),
            cached.get().model().identifier(), cached.get().result().crossValidationDice());
        return cached.get().result();
      }
    }
    FindBestStepCache.invalidate(resultsDir);
    BestConfigurationFinder.Result found = new BestConfigurationFinder(paths).find(r.dataset(),
        new BestConfigurationFinder.Options(List.of(), folds, plansName));
    LOG.info("find-best {}:\n{}", r.dataset(), new InferenceInformation(found.dataset(), found.folds(),
        found.candidates(), found.best(), found.postprocessing()).report());
    CrossValidationResults.Result cv = found.best().crossValidation();
    new ModelRelease(paths).publish(found.dataset(), found.best().model().model(), found.folds(), verified);
    // the key last, and only when what find-best read did not change while it ran
    if (key.text().equals(FindBestStepCache.key(paths, dataset, folds, plansName, r.checkpoints()).text())) {
      FindBestStepCache.record(resultsDir, key);
    } else {
      LOG.warn("find-best {}: a fold's validation files or the references changed while scoring; not cached", dataset);
    }
    return new FindBestResult(StepRefs.of(paths, found.informationFile()),
        StepRefs.of(paths, cv.folder().resolve(CrossValidationResults.SUMMARY)),
        StepRefs.of(paths, found.postprocessing().postprocessingFile()),
        found.best().model().model().identifier(), cv.foregroundMeanDice(), cv.fovForegroundMeanDice(),
        !found.postprocessing().decision().postprocessing().isNone(), key.key(), false);
  }

  /** A result from the files of an earlier run, and the model it chose. */
  private record Cached(ModelIdentifier model, FindBestResult result) {}

  /**
   * find-best's result as the files of an earlier run with the same inputs give it: the best model
   * named by inference_information.json, its cross-validation summary and postprocessing.json. Empty
   * when any of them is missing or unreadable: find-best then runs.
   */
  private Optional<Cached> cached(DatasetName dataset, List<Integer> folds, String key) {
    Path resultsDir = FindBestStepCache.resultsDir(paths, dataset);
    Path info = resultsDir.resolve(InferenceInformation.JSON_FILE);
    try {
      JsonNode selected = Json.mapper().readTree(info.toFile()).path("best_model_or_ensemble")
          .path("selected_model_or_models").path(0);
      if (!selected.path("trainer").isTextual() || !selected.path("plans_identifier").isTextual()
          || !selected.path("configuration").isTextual()) {
        return Optional.empty();
      }
      ModelIdentifier model = new ModelIdentifier(selected.get("trainer").asText(),
          selected.get("plans_identifier").asText(), selected.get("configuration").asText());
      Path crossval = resultsDir.resolve(model.identifier()).resolve(CrossValidationResults.folderName(folds));
      Path summaryFile = crossval.resolve(CrossValidationResults.SUMMARY);
      Path postprocessingFile = crossval.resolve(PostprocessingDecision.FILE_NAME);
      if (!Files.isRegularFile(summaryFile) || !Files.isRegularFile(postprocessingFile)) {
        return Optional.empty();
      }
      Summary summary = SummaryJson.read(summaryFile);
      return Optional.of(new Cached(model, new FindBestResult(StepRefs.of(paths, info),
          StepRefs.of(paths, summaryFile), StepRefs.of(paths, postprocessingFile), model.identifier(),
          summary.foregroundMeanDice(), summary.hasFov() ? summary.fovForegroundMean().dice() : Double.NaN,
          !Postprocessing.read(postprocessingFile).isNone(), key, true)));
    } catch (IOException | InvalidInputException | IllegalArgumentException e) {
      LOG.info("find-best {}: the cached files are unreadable ({}); finding the best configuration again",
          dataset, e.getMessage());
      return Optional.empty();
    }
  }
}
