package org.segflow.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.segflow.ensemble.BestConfigurationFinder;
import org.segflow.ensemble.InferenceInformation;
import org.segflow.plan.ExperimentPlanner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "find-best", mixinStandardHelpOptions = true,
    description = {"Merge the folds' validation predictions, pick the best configuration, determine "
        + "postprocessing and write inference_information.json and inference_instructions.txt "
        + "(nnUNetv2_find_best_configuration)."})
final class FindBestCommand implements Callable<Integer> {

  @Option(names = {"-d", "--dataset"}, required = true, description = "Dataset id or name.")
  String dataset;

  @Option(names = {"-c", "--configurations"}, arity = "1..*",
      description = "Configurations to compare. Default: every one the plans define that has been trained.")
  List<String> configurations = List.of();

  @Option(names = {"-f", "--folds"}, arity = "1..*", defaultValue = "0 1 2 3 4", split = " ",
      description = "Folds to merge. Default: ${DEFAULT-VALUE}.")
  List<Integer> folds;

  @Option(names = {"-p", "--plans"}, defaultValue = ExperimentPlanner.DEFAULT_PLANS_NAME,
      description = "Plans identifier. Default: ${DEFAULT-VALUE}.")
  String plansName;

  @Mixin
  StorageOptions storage;

  @Override
  public Integer call() {
    BestConfigurationFinder.Result r = new BestConfigurationFinder(storage.paths())
        .find(dataset, new BestConfigurationFinder.Options(configurations, folds, plansName));
    System.out.print(new InferenceInformation(r.dataset(), r.folds(), r.candidates(), r.best(), r.postprocessing())
        .report());
    System.out.println();
    System.out.println("Written: " + r.informationFile() + " and " + r.instructionsFile());
    return 0;
  }
}
