package org.segflow.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.segflow.dataset.ConversionOptions;
import org.segflow.dataset.DatasetConverter;
import org.segflow.dataset.DatasetName;
import org.segflow.plan.ExperimentPlanner;
import org.segflow.ensemble.EvaluationSetup;
import org.segflow.evaluate.Summary;
import org.segflow.evaluate.SummaryJson;
import org.segflow.plan.PlanAndPreprocess;
import org.segflow.predict.CaseOutputs;
import org.segflow.predict.ConsolePredictionProgress;
import org.segflow.predict.ModelFiles;
import org.segflow.predict.PredictionJob;
import org.segflow.predict.PredictionOptions;
import org.segflow.sample.FundusSampleGenerator;
import org.segflow.sample.SampleSpec;
import org.segflow.storage.SegflowPaths;
import org.segflow.train.ConsoleProgress;
import org.segflow.train.FoldTrainer;
import org.segflow.train.FoldTrainingJob;
import org.segflow.train.TrainingSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The README's first command: the pipeline end to end on the bundled synthetic fundus sample, with a
 * CPU-sized plan and a short training budget so it finishes in minutes on a laptop.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run the pipeline end to end on the bundled synthetic fundus sample: sample, convert, "
        + "plan-and-preprocess, a short training of fold 0 with its sliding-window validation, then "
        + "segment the test half and score it against its labels inside the field of view.")
final class DemoCommand implements Callable<Integer> {

  @Option(names = "--cases", defaultValue = "20", description = "Training cases. Default: ${DEFAULT-VALUE}.")
  int cases;

  @Option(names = "--size", defaultValue = "584x565", paramLabel = "HxW", description = "Default: ${DEFAULT-VALUE}.")
  String size;

  @Option(names = "--dataset", defaultValue = "1", description = "Dataset id. Default: ${DEFAULT-VALUE}.")
  int datasetId;

  @Option(names = "--memory-target-gb", defaultValue = "0.5",
      description = "Plan for this much accelerator memory; small gives a CPU-sized patch. Default: ${DEFAULT-VALUE}.")
  double memoryTargetGb;

  @Option(names = "--epochs", defaultValue = "4", description = "Training epochs (0: data half only). Default: ${DEFAULT-VALUE}.")
  int epochs;

  @Option(names = "--iterations-per-epoch", defaultValue = "12", description = "Default: ${DEFAULT-VALUE}.")
  int iterations;

  @Mixin
  StorageOptions storage;

  @Override
  public Integer call() {
    SegflowPaths paths = storage.paths();
    int[] hw = SampleCommand.parseSize(size);
    SampleSpec spec = new SampleSpec(cases, Math.max(2, (cases + 1) / 2), hw[0], hw[1], 1);
    Path sample = paths.home().resolve("samples").resolve("fundus-" + cases + "-" + hw[0] + "x" + hw[1]);
    if (!Files.isDirectory(sample.resolve("crop_train"))) {
      step("sample", () -> FundusSampleGenerator.generate(sample, spec, true));
    }
    DatasetName name = new DatasetName(datasetId, "FundusSample");
    step("convert", () -> new DatasetConverter().convert(sample, paths.raw(), name, ConversionOptions.DEFAULTS));
    step("plan-and-preprocess", () -> new PlanAndPreprocess(paths, m -> System.out.println("   " + m))
        .run(name.folderName(), new PlanAndPreprocess.Options(true, memoryTargetGb,
            ExperimentPlanner.DEFAULT_PLANS_NAME, 2)));
    if (epochs > 0) {
      TrainingSettings settings = new TrainingSettings(epochs, iterations, Math.max(2, iterations / 3), 1, false,
          12345, 1, true);
      FoldTrainer.Outcome[] outcome = new FoldTrainer.Outcome[1];
      step("train fold 0", () -> outcome[0] = new FoldTrainingJob(paths).run(new FoldTrainingJob.Request(
          name.folderName(), "2d", "0", ExperimentPlanner.DEFAULT_PLANS_NAME, settings, "auto", 2),
          List.of(ConsoleProgress.stdout())));
      FoldTrainer.Outcome o = outcome[0];
      System.out.printf(Locale.ROOT, "Validation Dice (fold 0, %d epochs x %d iterations): %.4f whole image, "
              + "%.4f inside the field of view%n", epochs, iterations, o.validation().foregroundMeanDice(),
          o.validation().fovDice());
      System.out.println("Curves:      " + o.finalCheckpoint().resolveSibling("progress.png"));
      Path predictions = paths.predictions().resolve(name.folderName());
      step("predict the test half", () -> {
        PredictionJob.Result r = new PredictionJob(paths).run(new PredictionJob.Request(sample, predictions,
            name.folderName(), "2d", ExperimentPlanner.DEFAULT_PLANS_NAME, List.of("0"),
            ModelFiles.CheckpointChoice.FINAL, PredictionOptions.defaults().withTta(false), true, "auto", 2),
            ConsolePredictionProgress.stdout());
        if (!r.report().ok()) {
          throw new IllegalStateException("prediction failed for " + r.report().failures());
        }
      });
      Path raw = paths.raw().resolve(name.folderName());
      Summary test = EvaluationSetup.resolve(predictions, raw.resolve("labelsTs"), List.of(), ".png")
          .evaluate(predictions, raw.resolve("labelsTs"), raw.resolve("masksTs"));
      SummaryJson.write(predictions.resolve("summary.json"), test);
      System.out.printf(Locale.ROOT, "Test Dice (%d images, fold 0, no TTA): %.4f whole image, %.4f inside the "
          + "field of view%n", test.cases().size(), test.foregroundMeanDice(), test.fovForegroundMean().dice());
      System.out.println("Overlays:    " + predictions.resolve(CaseOutputs.OVERLAYS));
    }
    System.out.println("Everything is under " + paths.home());
    return 0;
  }

  private static void step(String name, Runnable r) {
    System.out.println("== " + name);
    long t0 = System.nanoTime();
    r.run();
    System.out.printf(Locale.ROOT, "   %s took %.1f s%n", name, (System.nanoTime() - t0) / 1e9);
  }
}
