package org.segflow.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.segflow.net.HostCpu;
import org.segflow.plan.ExperimentPlanner;
import org.segflow.plan.Plans;
import org.segflow.predict.ModelFiles;
import org.segflow.predict.PredictionBenchmark;
import org.segflow.predict.PredictionOptions;
import org.segflow.train.bench.ConvolutionCeiling;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "predict", mixinStandardHelpOptions = true,
    description = "Seconds to predict one synthetic fundus image with a trained model, with and without TTA, "
        + "for 1 and 5 folds (trained checkpoints are reused when fewer folds exist); peak RSS.")
final class BenchPredictCommand implements Callable<Integer> {

  @Option(names = {"-d", "--dataset"}, required = true, description = DatasetArg.EXISTING)
  String dataset;

  @Option(names = {"-c", "--configuration"}, defaultValue = Plans.CONFIGURATION_2D, completionCandidates = Choices.Configurations.class,
        description = "The trained configuration. Default: ${DEFAULT-VALUE}.")
  String configuration;

  @Option(names = {"-p", "--plans"}, defaultValue = ExperimentPlanner.DEFAULT_PLANS_NAME,
        description = "Plans identifier. Default: ${DEFAULT-VALUE}.")
  String plansName;

  @Option(names = "--size", defaultValue = "1000x1000", description = "HEIGHTxWIDTH. Default: ${DEFAULT-VALUE}.")
  String size;

  // Counts, not folds: --fold-counts keeps -f/--folds meaning fold names everywhere; --folds stays accepted.
  @Option(names = {"--fold-counts", "--folds"}, split = ",", defaultValue = "1,5", paramLabel = "N",
      description = "How many folds each measured ensemble has. Default: ${DEFAULT-VALUE}.")
  List<Integer> foldCounts;

  @Option(names = "--checkpoint", defaultValue = "final", completionCandidates = Choices.Checkpoints.class,
      description = "${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
  String checkpoint;

  @Option(names = "--tiles-per-call", defaultValue = "1", paramLabel = "N",
      description = "Tiles (mirrored copies included) per network call, as predict's option. Default: ${DEFAULT-VALUE}.")
  int tilesPerCall;

  @Mixin
  StorageOptions storage;

  @Mixin
  EngineOptions engine;

  @Override
  public Integer call() {
    int[] hw = SampleCommand.parseSize(size);
    PredictionBenchmark.Result r = PredictionBenchmark.run(storage.paths(), dataset, configuration, plansName,
        ModelFiles.CheckpointChoice.parse(checkpoint), hw[0], hw[1],
        foldCounts, engine.resolve(), PredictionOptions.defaults().withTilesPerCall(tilesPerCall), System.out::println);
    System.out.println(r.report());
    System.out.println(r.floors(ConvolutionCeiling.measure(engine.resolve(), ConvolutionCeiling.UNET_SHAPES, 3,
        r.precision())));
    System.out.println("  on " + HostCpu.current().describe() + ", allocator " + Allocator.current());
    return 0;
  }
}
