package org.segflow.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.segflow.metrics.TrainingMetricsListener;
import java.util.concurrent.Callable;
import org.segflow.plan.ExperimentPlanner;
import org.segflow.train.ConsoleProgress;
import org.segflow.train.FoldTrainer;
import org.segflow.train.FoldTrainingJob;
import org.segflow.train.TrainingListener;
import org.segflow.train.TrainingSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Train one fold as nnU-Net does (nnUNetv2_train DATASET 2d FOLD).")
final class TrainCommand implements Callable<Integer> {

  @Option(names = {"-d", "--dataset"}, required = true, description = "Dataset id or name.")
  String dataset;

  @Option(names = {"-c", "--configuration"}, defaultValue = "2d", description = "Default: ${DEFAULT-VALUE}.")
  String configuration;

  @Option(names = {"-f", "--fold"}, required = true, description = "0-4 or all.")
  String fold;

  @Option(names = {"-p", "--plans"}, defaultValue = ExperimentPlanner.DEFAULT_PLANS_NAME,
      description = "Plans identifier. Default: ${DEFAULT-VALUE}.")
  String plansName;

  @Option(names = "--epochs", defaultValue = "1000", description = "Default: ${DEFAULT-VALUE}.")
  int epochs;

  @Option(names = "--iterations-per-epoch", defaultValue = "250", description = "Default: ${DEFAULT-VALUE}.")
  int iterations;

  @Option(names = "--val-iterations", defaultValue = "50", description = "Default: ${DEFAULT-VALUE}.")
  int valIterations;

  @Option(names = {"--continue", "--c"}, description = "Resume from the newest complete checkpoint.")
  boolean resume;

  @Option(names = "--checkpoint-every", defaultValue = "1",
      description = "Write checkpoint_latest every N epochs (nnU-Net: 50). Default: ${DEFAULT-VALUE}.")
  int checkpointEvery;

  @Option(names = "--seed", defaultValue = "12345", description = "Seed for initialisation and sampling.")
  long seed;

  @Option(names = "--no-validation", description = "Skip the final sliding-window validation.")
  boolean noValidation;

  @Mixin
  StorageOptions storage;

  @Mixin
  EngineOptions engine;

  @Mixin
  MetricsOptions metricsOptions;

  @Override
  public Integer call() {
    TrainingSettings settings = new TrainingSettings(epochs, iterations, valIterations, checkpointEvery, resume,
        seed, 1, !noValidation);
    Optional<MetricsOptions.Endpoint> endpoint = metricsOptions.start();
    List<TrainingListener> listeners = new ArrayList<>(List.of(ConsoleProgress.stdout()));
    endpoint.ifPresent(e -> listeners.add(new TrainingMetricsListener(e.metrics().registry())));
    FoldTrainer.Outcome o;
    try {
      o = new FoldTrainingJob(storage.paths()).run(new FoldTrainingJob.Request(dataset, configuration, fold,
          plansName, settings, engine.device, engine.threads), listeners);
    } finally {
      endpoint.ifPresent(MetricsOptions.Endpoint::close);
    }
    System.out.printf("Fold %s: best EMA pseudo Dice %.4f, final checkpoint %s%n", fold, o.bestEma(),
        o.finalCheckpoint());
    if (o.validation() != null) {
      System.out.printf("Validation Dice %.4f%s (%s)%n", o.validation().foregroundMeanDice(),
          Double.isNaN(o.validation().fovDice()) ? ""
              : String.format(", inside the field of view %.4f", o.validation().fovDice()),
          o.validation().summaryFile());
    }
    return 0;
  }
}
