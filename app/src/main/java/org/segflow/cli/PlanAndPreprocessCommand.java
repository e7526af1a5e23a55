package org.segflow.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import org.segflow.plan.ExperimentPlanner;
import org.segflow.plan.PlanAndPreprocess;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "plan-and-preprocess", mixinStandardHelpOptions = true,
    description = "nnU-Net's plan_and_preprocess: fingerprint, 2d plans, preprocessing, 5-fold splits.")
final class PlanAndPreprocessCommand implements Callable<Integer> {

  @Option(names = {"-d", "--dataset"}, required = true, paramLabel = "DATASET",
      description = "Dataset id (2), or name (Dataset002_X).")
  String dataset;

  @Option(names = "--verify-dataset-integrity", description = "Check every case before planning (nnU-Net's checks).")
  boolean verify;

  @Option(names = {"--memory-target-gb", "-gpu_memory_target"}, paramLabel = "GB",
      defaultValue = "" + ExperimentPlanner.DEFAULT_GPU_MEMORY_TARGET_GB,
      description = "Accelerator memory the plan may use (nnU-Net's -gpu_memory_target); smaller gives "
          + "smaller patches or batches. Default: ${DEFAULT-VALUE}.")
  double memoryTargetGb;

  @Option(names = "--plans-name", defaultValue = ExperimentPlanner.DEFAULT_PLANS_NAME,
      description = "Plans identifier. Default: ${DEFAULT-VALUE}.")
  String plansName;

  @Option(names = "--threads", defaultValue = "2", description = "Worker threads. Default: ${DEFAULT-VALUE}.")
  int threads;

  @Mixin
  StorageOptions storage;

  @Override
  public Integer call() {
    PlanAndPreprocess.Result r = new PlanAndPreprocess(storage.paths(), System.out::println)
        .run(dataset, new PlanAndPreprocess.Options(verify, memoryTargetGb, plansName, threads));
    System.out.println("Planned and preprocessed " + r.dataset().folderName() + " (" + r.numCases()
        + " cases) in " + r.preprocessedDir());
    for (Map.Entry<String, Double> e : r.stepSeconds().entrySet()) {
      System.out.printf("  %-12s %6.2f s%n", e.getKey(), e.getValue());
    }
    return 0;
  }
}
