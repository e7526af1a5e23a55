package org.segflow.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.segflow.net.Engines;
import org.segflow.plan.ExperimentPlanner;
import org.segflow.plan.PlanAndPreprocess;
import org.segflow.plan.Plans;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "plan-and-preprocess", aliases = "plan_and_preprocess", mixinStandardHelpOptions = true,
    description = {"nnU-Net's plan_and_preprocess: fingerprint, 2d plans, preprocessing, 5-fold splits.",
        "nnUNetv2_plan_and_preprocess's arguments work as given (-d 1 --verify_dataset_integrity -c 2d -np 2 "
            + "-pl ExperimentPlanner -gpu_memory_target 8 -overwrite_plans_name P)."})
final class PlanAndPreprocessCommand implements Callable<Integer> {

  /** Few threads by default: each holds a whole case while it fingerprints or preprocesses it. */
  static final int DEFAULT_THREADS = 2;

  @Option(names = {"-d", "--dataset"}, required = true, arity = "1..*", paramLabel = "DATASET",
      description = DatasetArg.EXISTING + " Several are planned one after the other.")
  List<String> datasets;

  @Option(names = {"--verify-dataset-integrity", "--verify_dataset_integrity"},
      description = "Check every case before planning (nnU-Net's checks).")
  boolean verify;

  @Option(names = {"--memory-target-gb", "-gpu_memory_target"}, paramLabel = "GB",
      defaultValue = "" + ExperimentPlanner.DEFAULT_GPU_MEMORY_TARGET_GB,
      description = "Accelerator memory the plan may use (nnU-Net's -gpu_memory_target); smaller gives "
          + "smaller patches or batches. Default: ${DEFAULT-VALUE}.")
  double memoryTargetGb;

  @Option(names = {"-p", "--plans", "--plans-name", "-overwrite_plans_name"},
      defaultValue = ExperimentPlanner.DEFAULT_PLANS_NAME,
      description = "Plans identifier to write. Default: ${DEFAULT-VALUE}.")
  String plansName;

  // nnU-Net's -np counts processes, one number per configuration; segflow's threads do the same work,
  // so -np is --threads under nnU-Net's name and the first number (2d's) is the one used.
  @Option(names = {"--threads", "-np"}, arity = "1..*", paramLabel = "N",
      description = "CPU threads that fingerprint and preprocess the cases; 0 = one per core of this machine "
          + "(nnU-Net's -np: one number per configuration, and segflow's one configuration, 2d, takes the first). "
          + "Default: " + DEFAULT_THREADS + ", each holding a case in memory.")
  List<Integer> threadsOption;

  @Option(names = "-npfp", paramLabel = "N",
      description = "nnU-Net's fingerprint processes: segflow fingerprints and preprocesses with the same "
          + "threads, so this is used only when --threads (-np) is not given.")
  Integer fingerprintProcesses;

  @Option(names = {"-c", "--configuration"}, arity = "1..*", paramLabel = "CONFIGURATION",
      completionCandidates = Choices.Configurations.class,
      description = "Configurations to preprocess: only 2d (segflow is 2D; 3d ones are refused). Default: 2d.")
  List<String> configurations = List.of(Plans.CONFIGURATION_2D);

  @Option(names = "-pl", paramLabel = "PLANNER", defaultValue = "ExperimentPlanner",
      description = "Planner class: only nnU-Net's default ExperimentPlanner. Default: ${DEFAULT-VALUE}.")
  String planner;

  @Option(names = "-fpe", paramLabel = "CLASS", defaultValue = "DatasetFingerprintExtractor",
      description = "Fingerprint extractor: only DatasetFingerprintExtractor. Default: ${DEFAULT-VALUE}.")
  String fingerprintExtractor;

  @Option(names = "-preprocessor_name", paramLabel = "CLASS", defaultValue = "DefaultPreprocessor",
      description = "Preprocessor: only DefaultPreprocessor. Default: ${DEFAULT-VALUE}.")
  String preprocessor;

  @Option(names = "--clean", description = "Accepted: segflow always takes a new fingerprint.")
  boolean clean;

  @Option(names = "--verbose", description = "Accepted; segflow prints each step either way.")
  boolean verbose;

  @Option(names = "--no_pp", description = "nnU-Net's plan-only run: refused (segflow plans and preprocesses).")
  boolean noPreprocessing;

  @Option(names = "-overwrite_target_spacing", arity = "1..*", paramLabel = "S",
      description = "Refused (segflow keeps the planned spacing).")
  List<String> targetSpacing;

  @Mixin
  StorageOptions storage;

  /** The thread count: --threads (-np)'s first value, else -npfp, else 2; 0 is every core. */
  int threads() {
    int requested = threadsOption != null && !threadsOption.isEmpty() ? threadsOption.get(0)
        : fingerprintProcesses != null ? fingerprintProcesses : DEFAULT_THREADS;
    return requested == 0 ? Engines.threads(0) : requested;
  }

  /** Every check of the command line, before any work. */
  void check() {
    if (threads() < 0) {
      throw new org.segflow.InvalidInputException("--threads must be 0 (one per core) or more, got " + threads());
    }
    NnUNetArgs.requireTwoD(configurations);
    for (String c : configurations) {
      NnUNetArgs.refuse(!c.equals(Plans.CONFIGURATION_2D), "-c " + c, "the plans define the 2d configuration only");
    }
    NnUNetArgs.refuse(!planner.equals("ExperimentPlanner"), "-pl " + planner,
        "only nnU-Net's default ExperimentPlanner is implemented");
    NnUNetArgs.refuse(!fingerprintExtractor.equals("DatasetFingerprintExtractor"), "-fpe " + fingerprintExtractor,
        "only DatasetFingerprintExtractor is implemented");
    NnUNetArgs.refuse(!preprocessor.equals("DefaultPreprocessor"), "-preprocessor_name " + preprocessor,
        "only DefaultPreprocessor is implemented");
    NnUNetArgs.refuse(noPreprocessing, "--no_pp", "planning and preprocessing run together");
    NnUNetArgs.refuse(targetSpacing != null, "-overwrite_target_spacing", "the planned spacing is used");
  }

  @Override
  public Integer call() {
    check();
    int n = threads();
    for (String dataset : new ArrayList<>(datasets)) {
      PlanAndPreprocess.Result r = new PlanAndPreprocess(storage.paths(), System.out::println)
          .run(dataset, new PlanAndPreprocess.Options(verify, memoryTargetGb, plansName, n));
      System.out.println("Planned and preprocessed " + r.dataset().folderName() + " (" + r.numCases()
          + " cases) in " + r.preprocessedDir());
      for (Map.Entry<String, Double> e : r.stepSeconds().entrySet()) {
        System.out.printf("  %-12s %6.2f s%n", e.getKey(), e.getValue());
      }
    }
    return 0;
  }
}
