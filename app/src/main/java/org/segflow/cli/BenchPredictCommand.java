package org.segflow.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.segflow.plan.ExperimentPlanner;
import org.segflow.predict.ModelFiles;
import org.segflow.predict.PredictionBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "predict", mixinStandardHelpOptions = true,
    description = "Seconds to predict one synthetic fundus image with a trained model, with and without TTA, "
        + "for 1 and 5 folds (trained checkpoints are reused when fewer folds exist); peak RSS.")
final class BenchPredictCommand implements Callable<Integer> {

  @Option(names = {"-d", "--dataset"}, required = true, description = "Dataset id or name.")
  String dataset;

  @Option(names = {"-c", "--configuration"}, defaultValue = "2d")
  String configuration;

  @Option(names = {"-p", "--plans"}, defaultValue = ExperimentPlanner.DEFAULT_PLANS_NAME)
  String plansName;

  @Option(names = "--size", defaultValue = "1000x1000", description = "HEIGHTxWIDTH. Default: ${DEFAULT-VALUE}.")
  String size;

  @Option(names = "--folds", split = ",", defaultValue = "1,5", description = "Fold counts. Default: ${DEFAULT-VALUE}.")
  List<Integer> foldCounts;

  @Option(names = "--checkpoint", defaultValue = "final", description = "final or best. Default: ${DEFAULT-VALUE}.")
  String checkpoint;

  @Mixin
  StorageOptions storage;

  @Mixin
  EngineOptions engine;

  @Override
  public Integer call() {
    int[] hw = SampleCommand.parseSize(size);
    PredictionBenchmark.Result r = PredictionBenchmark.run(storage.paths(), dataset, configuration, plansName,
        ModelFiles.CheckpointChoice.parse(checkpoint), hw[0], hw[1],
        foldCounts, engine.resolve(), System.out::println);
    System.out.println(r.report());
    return 0;
  }
}
