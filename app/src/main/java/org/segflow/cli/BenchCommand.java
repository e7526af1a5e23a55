package org.segflow.cli;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.segflow.net.Engines;
import org.segflow.net.HostCpu;
import org.segflow.plan.ExperimentPlanner;
import org.segflow.plan.Plans;
import org.segflow.preprocess.PreprocessedCase;
import org.segflow.train.FoldTrainingJob;
import org.segflow.train.bench.ConvolutionCeiling;
import org.segflow.train.bench.OpProfile;
import org.segflow.train.bench.TrainingBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks.",
    subcommands = {BenchCommand.Train.class, BenchPredictCommand.class, BenchEventsCommand.class,
        BenchGpuCommand.class, BenchOrchestrationCommand.class})
final class BenchCommand implements Runnable {

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  @Command(name = "train", mixinStandardHelpOptions = true,
      description = "Milliseconds per training iteration (forward + backward + step) at the plan's patch and "
          + "batch, with the real data pipeline; the share of time waiting for data; peak RSS; GFLOP/s.")
  static final class Train implements Callable<Integer> {

    private static final int TOP_OPS = 15;

    @Option(names = {"-d", "--dataset"}, required = true, description = DatasetArg.EXISTING)
    String dataset;

    @Option(names = {"-c", "--configuration"}, defaultValue = Plans.CONFIGURATION_2D, completionCandidates = Choices.Configurations.class,
        description = "The trained configuration. Default: ${DEFAULT-VALUE}.")
    String configuration;

    @Option(names = {"-p", "--plans"}, defaultValue = ExperimentPlanner.DEFAULT_PLANS_NAME,
        description = "Plans identifier. Default: ${DEFAULT-VALUE}.")
    String plansName;

    @Option(names = "--iterations", defaultValue = "5", description = "Timed iterations. Default: ${DEFAULT-VALUE}.")
    int iterations;

    @Option(names = "--warmup", defaultValue = "1", description = "Untimed iterations first. Default: ${DEFAULT-VALUE}.")
    int warmup;

    @Option(names = "--profile", paramLabel = "TRACE.json",
        description = "Trace the last iteration with PyTorch's profiler into this file (a Chrome trace, for "
            + "Perfetto or chrome://tracing) and print the ops that took the most time.")
    Path profile;

    @Mixin
    StorageOptions storage;

    @Mixin
    EngineOptions engine;

    @Override
    public Integer call() throws IOException {
      FoldTrainingJob.Prepared p = new FoldTrainingJob(storage.paths()).prepare(dataset, configuration, "0",
          plansName);
      List<PreprocessedCase> cases = p.trainCases();
      Device d = engine.resolve();
      System.out.println("Benchmarking " + p.name().folderName() + " " + configuration + " on " + cases.size()
          + " cases (" + warmup + " warm-up + " + iterations + " timed iterations, " + engine.engineThreads() + " threads)");
      System.out.println("on " + HostCpu.current().describe() + ", allocator " + Allocator.current());
      TrainingBenchmark.Result r = TrainingBenchmark.run(p.plan(), cases, d, warmup, iterations, profile);
      System.out.println(r.report());
      ConvolutionCeiling.Result ceiling = ConvolutionCeiling.measure(d, ConvolutionCeiling.UNET_SHAPES, 3,
          Engines.precision(d, p.plan().architecture()));
      System.out.println("  " + ceiling.report());
      System.out.println("  " + ceiling.floor("one iteration", r.gflopPerStep(), r.medianMillis() / 1000));
      if (profile != null) {
        System.out.println("Traced the last iteration into " + profile + "; "
            + OpProfile.read(profile).report(TOP_OPS));
      }
      return 0;
    }
  }
}
