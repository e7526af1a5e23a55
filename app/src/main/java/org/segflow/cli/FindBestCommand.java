package org.segflow.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.segflow.findbest.BestConfigurationFinder;
import org.segflow.findbest.InferenceInformation;
import org.segflow.plan.ExperimentPlanner;
import org.segflow.registry.ModelRegistry;
import org.segflow.registry.ModelVersion;
import org.segflow.release.ModelRelease;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "find-best", aliases = "find_best_configuration", mixinStandardHelpOptions = true,
    description = {"Merge the folds' validation predictions, pick the best configuration, determine "
        + "postprocessing and write inference_information.json and inference_instructions.txt "
        + "(nnUNetv2_find_best_configuration; its form DATASET [-c 2d] [-f 0 1 2 3 4] [-p P] [-tr T] works "
        + "as given)."})
final class FindBestCommand implements Callable<Integer> {

  @Parameters(index = "0", arity = "0..1", paramLabel = "DATASET",
      description = "The dataset as nnU-Net's positional; the same as -d.")
  String datasetArg;

  @Option(names = {"-d", "--dataset"}, description = DatasetArg.EXISTING)
  String datasetOption;

  @Option(names = {"-c", "--configurations"}, arity = "1..*",
      description = "Configurations to compare (3d ones are refused: segflow is 2D). Default: every one the "
          + "plans define that has been trained.")
  List<String> configurations = List.of();

  @Option(names = {"-f", "--folds"}, arity = "1..*", split = ",", defaultValue = "0,1,2,3,4", paramLabel = "FOLD",
      converter = Folds.Token.class, completionCandidates = Folds.Candidates.class,
      description = Folds.DESCRIPTION + " The cross-validation folds to merge (not all). Default: 0 1 2 3 4.")
  List<String> foldValues;

  /** The folds to merge: cross-validation folds only, fold all has no held-out cases. */
  List<Integer> folds() {
    return Folds.crossValidation(foldValues, "find-best merges the cross-validation folds' validation predictions");
  }

  @Option(names = {"-p", "--plans"}, arity = "1..*",
      description = "Plans identifier (nnU-Net takes several; segflow one). Default: "
          + ExperimentPlanner.DEFAULT_PLANS_NAME + ".")
  List<String> plans = List.of();

  @Option(names = {"-tr", "--trainer"}, arity = "1..*", paramLabel = "TRAINER",
      description = "nnU-Net trainers: nnUNetTrainer or its epoch variants; segflow keeps every variant in the "
          + "nnUNetTrainer folder, so it only checks the names. Default: nnUNetTrainer.")
  List<String> trainers = List.of();

  @Option(names = "-np", paramLabel = "N", description = "nnU-Net's processes: accepted; segflow merges in this "
      + "process.")
  Integer processes;

  @Option(names = "--disable_ensembling", description = "Accepted: with one configuration (2d) there is no "
      + "ensemble of configurations to try.")
  boolean disableEnsembling;

  @Option(names = "--no_overwrite", description = "Refused (not supported: segflow merges the folds again).")
  boolean noOverwrite;

  @Mixin
  StorageOptions storage;

  @Option(names = "--no-publish", description = "Only choose: do not publish the chosen model as a new version of "
      + "the dataset's model registry (the pipeline publishes it, as this command does by default).")
  boolean noPublish;

  /** The dataset, from DATASET or -d. */
  String dataset() {
    return NnUNetArgs.either(datasetArg, datasetOption, "DATASET", "-d");
  }

  /** The plans identifier: -p's one value, else nnU-Net's default. */
  String plansName() {
    return NnUNetArgs.single(plans, ExperimentPlanner.DEFAULT_PLANS_NAME, "-p");
  }

  /** Every check of the command line that needs more than one option, before any work. */
  void check() {
    dataset();
    NnUNetArgs.requireTwoD(configurations);
    NnUNetArgs.requireTrainers(trainers);
    plansName();
    folds();
    NnUNetArgs.refuse(noOverwrite, "--no_overwrite", "the folds' validation results are merged again each run");
  }

  @Override
  public Integer call() {
    check();
    BestConfigurationFinder.Result r = new BestConfigurationFinder(storage.paths())
        .find(dataset(), new BestConfigurationFinder.Options(configurations, folds(), plansName()));
    System.out.print(new InferenceInformation(r.dataset(), r.folds(), r.candidates(), r.best(), r.postprocessing())
        .report());
    System.out.println();
    System.out.println("Written: " + r.informationFile() + " and " + r.instructionsFile());
    if (!noPublish) {
      ModelVersion v = new ModelRelease(storage.paths()).publish(r);
      boolean promoted = new ModelRegistry(storage.paths()).promoted(v.dataset())
          .map(p -> p.version().equals(v.version())).orElse(false);
      System.out.println("Published " + v.dataset() + " " + v.version() + (promoted ? ", the promoted version"
          : "; the promoted version stays (segflow models promote to change it)"));
    }
    return 0;
  }
}
