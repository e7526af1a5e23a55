package org.segflow.findbest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.segflow.InvalidInputException;
import org.segflow.dataset.DatasetLocator;
import org.segflow.dataset.DatasetName;
import org.segflow.plan.Plans;
import org.segflow.plan.PlansWriter;
import org.segflow.storage.SegflowPaths;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * nnU-Net's {@code find_best_configuration}: each trained configuration's cross-validation results
 * merged and scored, the best (highest foreground-mean Dice, the first on ties) chosen, postprocessing
 * determined on it, and results/DatasetXXX/inference_information.json and inference_instructions.txt
 * written. Ensembles of configurations are not candidates: they need the validation probabilities
 * that segflow's fold validation does not export (segflow has only the 2d configuration).
 */
public final class BestConfigurationFinder {

  private static final Logger LOG = LoggerFactory.getLogger(BestConfigurationFinder.class);

  /** nnU-Net's default candidates, in its order (which decides ties). */
  public static final List<String> DEFAULT_CONFIGURATIONS =
      List.of(Plans.CONFIGURATION_2D, "3d_fullres", "3d_lowres", "3d_cascade_fullres");

  /**
   * @param configurations the candidates; empty means every default configuration the plans define
   *                       and that has a results folder
   * @param folds          the folds to merge (normally 0 1 2 3 4)
   */
  public record Options(List<String> configurations, List<Integer> folds, String plansIdentifier) {
    public Options {
      configurations = List.copyOf(configurations);
      folds = CrossValidationResults.checkFolds(folds);
    }
  }

  /** One candidate's cross-validation result. */
  public record Candidate(ModelFolder model, CrossValidationResults.Result crossValidation) {}

  /** Everything found; {@code best} is one of {@code candidates}. */
  public record Result(DatasetName dataset, List<Integer> folds, List<Candidate> candidates, Candidate best,
      PostprocessingChoice.Result postprocessing, Path informationFile, Path instructionsFile) {}

  private final SegflowPaths paths;

  public BestConfigurationFinder(SegflowPaths paths) {
    this.paths = paths;
  }

  public Result find(String datasetRef, Options options) {
    DatasetName dataset = DatasetLocator.of(paths).resolve(datasetRef);
    List<ModelIdentifier> models = candidates(dataset, options);
    List<Candidate> candidates = new ArrayList<>();
    for (ModelIdentifier m : models) {
      ModelFolder folder = ModelFolder.open(paths, dataset, m);
      candidates.add(new Candidate(folder, CrossValidationResults.merge(folder, options.folds())));
    }
    Candidate best = candidates.get(0);
    for (Candidate c : candidates) {
      // strictly greater: ties keep the earlier (simpler) candidate, as nnU-Net
      if (c.crossValidation().foregroundMeanDice() > best.crossValidation().foregroundMeanDice()) {
        best = c;
      }
    }
    LOG.info("best: {} with foreground-mean Dice {}", best.model().model().identifier(),
        best.crossValidation().foregroundMeanDice());
    PostprocessingChoice.Result pp = PostprocessingChoice.determine(best.model(),
        best.crossValidation().folder(), best.crossValidation().files());
    Path datasetResults = paths.results().resolve(dataset.folderName());
    InferenceInformation info = new InferenceInformation(dataset, options.folds(), candidates, best, pp);
    Path infoFile = datasetResults.resolve(InferenceInformation.JSON_FILE);
    Path instructionsFile = datasetResults.resolve(InferenceInformation.INSTRUCTIONS_FILE);
    info.write(infoFile, instructionsFile);
    return new Result(dataset, options.folds(), candidates, best, pp, infoFile, instructionsFile);
  }

  private List<ModelIdentifier> candidates(DatasetName dataset, Options options) {
    Path plansFile = PlansWriter.plansFile(paths.preprocessed().resolve(dataset.folderName()),
        options.plansIdentifier());
    if (!Files.isRegularFile(plansFile)) {
      throw new InvalidInputException(plansFile, "no plans '" + options.plansIdentifier() + "': run `segflow "
          + "plan-and-preprocess -d " + dataset.id() + "` and train first");
    }
    Plans plans = Plans.read(plansFile);
    List<ModelIdentifier> out = new ArrayList<>();
    if (!options.configurations().isEmpty()) {
      for (String c : options.configurations()) {
        plans.configuration(c); // names the available configurations when c is not one
        out.add(ModelIdentifier.of(options.plansIdentifier(), c));
      }
      return out;
    }
    for (String c : DEFAULT_CONFIGURATIONS) {
      ModelIdentifier m = ModelIdentifier.of(options.plansIdentifier(), c);
      if (plans.configurations().containsKey(c)
          && Files.isDirectory(paths.results().resolve(dataset.folderName()).resolve(m.identifier()))) {
        out.add(m);
      }
    }
    if (out.isEmpty()) {
      throw new InvalidInputException(paths.results().resolve(dataset.folderName()), "no trained configuration"
          + " of plans " + options.plansIdentifier() + ": run `segflow train -d " + dataset.id()
          + " -f K` for K = 0..4 first");
    }
    return out;
  }
}
