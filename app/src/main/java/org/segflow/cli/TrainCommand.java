package org.segflow.cli;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.segflow.InvalidInputException;
import org.segflow.dataset.DatasetLocator;
import org.segflow.dataset.DatasetName;
import org.segflow.metrics.TrainingMetricsListener;
import org.segflow.pipeline.FoldInputs;
import org.segflow.plan.CrossValidationSplits;
import org.segflow.plan.ExperimentPlanner;
import org.segflow.plan.FoldSplit;
import org.segflow.plan.Plans;
import org.segflow.plan.PlansWriter;
import org.segflow.train.ConsoleProgress;
import org.segflow.train.EpochClock;
import org.segflow.train.FoldTrainer;
import org.segflow.train.FoldTrainingJob;
import org.segflow.train.TrainingListener;
import org.segflow.train.TrainingSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "train", mixinStandardHelpOptions = true,
    description = {"Train one fold as nnU-Net does: segflow train DATASET 2d FOLD [-tr nnUNetTrainer_50epochs] "
        + "[-device cpu] [--c] (nnUNetv2_train's own arguments), or segflow train -d DATASET -f FOLD [--epochs N]."})
final class TrainCommand implements Callable<Integer> {

  @Parameters(index = "0", arity = "0..1", paramLabel = "DATASET",
      description = "The dataset as nnU-Net's positional; the same as -d.")
  String datasetArg;

  @Parameters(index = "1", arity = "0..1", paramLabel = "CONFIGURATION", converter = NnUNetArgs.Configuration.class,
      completionCandidates = Choices.Configurations.class,
      description = "2d (nnU-Net's form; or -c). 3d configurations are refused: segflow is 2D.")
  String configurationArg;

  @Parameters(index = "2", arity = "0..1", paramLabel = "FOLD", converter = Folds.Token.class,
      completionCandidates = Folds.Candidates.class, description = "The fold as nnU-Net's positional; the same as -f.")
  String foldArg;

  @Option(names = {"-d", "--dataset"}, paramLabel = "DATASET", description = DatasetArg.EXISTING)
  String datasetOption;

  @Option(names = {"-c", "--configuration"}, paramLabel = "CONFIGURATION", converter = NnUNetArgs.Configuration.class,
      completionCandidates = Choices.Configurations.class, description = "The configuration to train. Default: 2d.")
  String configurationOption;

  @Option(names = {"-f", "--fold"}, paramLabel = "FOLD", converter = Folds.Token.class,
      completionCandidates = Folds.Candidates.class,
      description = "The one fold to train: 0-4, or all (nnU-Net's fold_all, trained on every case).")
  String foldOption;

  @Option(names = {"-tr", "--trainer"}, paramLabel = "TRAINER", converter = NnUNetArgs.Trainer.class,
      description = "nnU-Net trainer: nnUNetTrainer (1000 epochs) or an epoch variant nnUNetTrainer_1epoch, "
          + "_5epochs, _10epochs, _20epochs, _50epochs, _100epochs, _250epochs, _500epochs, _750epochs, "
          + "_2000epochs, _4000epochs, _8000epochs; sets the epochs (results still go to the nnUNetTrainer "
          + "folder).")
  String trainer;

  @Option(names = "--npz", description = "Accepted (nnU-Net: keep the validation probabilities for "
      + "find_best_configuration's ensembles); segflow's validation writes label maps and its find-best needs "
      + "no probabilities (one configuration), so it changes nothing.")
  boolean npz;

  @Option(names = "-num_gpus", defaultValue = "1", description = "Only 1 (the default).")
  int numGpus;

  @Option(names = "--val", description = "nnU-Net's validation-only run: refused (not supported).")
  boolean validationOnly;

  @Option(names = "--val_best", description = "Refused (not supported).")
  boolean validationBest;

  @Option(names = "--disable_checkpointing", description = "Refused (not supported).")
  boolean disableCheckpointing;

  @Option(names = {"--splits", "-s"}, paramLabel = "FILE",
      description = "A custom splits file (nnU-Net's --splits): copied to the preprocessed folder as "
          + "splits_final.json before training; where a different splits_final.json exists (other folds may have "
          + "trained on it) it is refused instead of nnU-Net's prompt.")
  java.nio.file.Path splitsFile;

  @Option(names = "-pretrained_weights", paramLabel = "FILE", description = "Refused (not supported).")
  String pretrainedWeights;

  @Option(names = {"-p", "--plans"}, defaultValue = ExperimentPlanner.DEFAULT_PLANS_NAME,
      description = "Plans identifier. Default: ${DEFAULT-VALUE}.")
  String plansName;

  @Option(names = "--epochs", paramLabel = "N", description = "Default: 1000, or what -tr says.")
  Integer epochsOption;

  @Option(names = "--iterations-per-epoch", defaultValue = "250",
      description = "Training batches per epoch (nnU-Net: 250). Default: ${DEFAULT-VALUE}.")
  int iterations;

  @Option(names = "--val-iterations", defaultValue = "50",
      description = "Validation batches per epoch (nnU-Net: 50). Default: ${DEFAULT-VALUE}.")
  int valIterations;

  @Option(names = {"--continue", "--c"}, description = "Resume from the newest complete checkpoint; refused when "
      + "the fold was trained from other plans or preprocessed data (its " + FoldInputs.FILE_NAME + ").")
  boolean resume;

  @Option(names = "--checkpoint-every", defaultValue = "1",
      description = "Write checkpoint_latest every N epochs (nnU-Net: 50). Default: ${DEFAULT-VALUE}.")
  int checkpointEvery;

  @Option(names = "--seed", defaultValue = "" + TrainingSettings.DEFAULT_SEED, description = "The run's seed: each "
      + "fold derives its own for initialisation and sampling (fold 0 uses it as is). Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(names = "--no-validation", description = "Skip the final sliding-window validation.")
  boolean noValidation;

  @Mixin
  StorageOptions storage;

  @Mixin
  EngineOptions engine;

  @Mixin
  MetricsOptions metricsOptions;

  /** The dataset, from DATASET or -d. */
  String dataset() {
    return NnUNetArgs.either(datasetArg, datasetOption, "DATASET", "-d");
  }

  /** The configuration, from CONFIGURATION or -c; 2d when neither is given. */
  String configuration() {
    return configurationArg == null && configurationOption == null ? Plans.CONFIGURATION_2D
        : NnUNetArgs.either(configurationArg, configurationOption, "CONFIGURATION", "-c");
  }

  /** The fold, from FOLD or -f. */
  String fold() {
    return NnUNetArgs.either(foldArg, foldOption, "FOLD", "-f");
  }

  /** The epochs: --epochs, else those of -tr, else nnUNetTrainer's 1000; both given must agree. */
  int epochs() {
    if (trainer != null && epochsOption != null && epochsOption != NnUNetArgs.epochsOf(trainer)) {
      throw new InvalidInputException("-tr " + trainer + " trains " + NnUNetArgs.epochsOf(trainer)
          + " epochs, --epochs says " + epochsOption + ": give one of them");
    }
    return epochsOption != null ? epochsOption : NnUNetArgs.epochsOf(trainer == null ? NnUNetArgs.DEFAULT_TRAINER
        : trainer);
  }

  /** Every check of the command line that needs more than one option, before any work. */
  void check() {
    dataset();
    configuration();
    fold();
    epochs();
    NnUNetArgs.refuse(numGpus != 1, "-num_gpus " + numGpus, "it trains on one device");
    NnUNetArgs.refuse(validationOnly, "--val", "segflow validates at the end of each training (skip it with --no-validation)");
    NnUNetArgs.refuse(validationBest, "--val_best", "the validation uses the final checkpoint");
    NnUNetArgs.refuse(disableCheckpointing, "--disable_checkpointing", "--c and predict need the checkpoints");
    NnUNetArgs.refuse(pretrainedWeights != null, "-pretrained_weights", "training starts from nnU-Net's "
        + "initialisation");
  }

  /**
   * Copies --splits to DATASET's preprocessed folder as splits_final.json; an identical file is left as it
   * is, a different one refused (folds trained on it would no longer match).
   */
  static void installSplits(org.segflow.storage.SegflowPaths paths, String dataset, java.nio.file.Path file) {
    List<FoldSplit> wanted = CrossValidationSplits.read(file);
    DatasetName name = DatasetLocator.of(paths).resolve(dataset);
    java.nio.file.Path pp = paths.preprocessed().resolve(name.folderName());
    java.nio.file.Path target = pp.resolve(CrossValidationSplits.FILE_NAME);
    if (Files.isRegularFile(target)) {
      if (!sameSplits(CrossValidationSplits.read(target), wanted)) {
        throw new InvalidInputException(target, "differs from --splits " + file + "; remove it first if the "
            + "folds trained on it may be discarded");
      }
      return;
    }
    if (!Files.isDirectory(pp)) {
      throw new InvalidInputException(pp, "preprocessed data missing: run `segflow plan-and-preprocess -d "
          + name.id() + "` first");
    }
    CrossValidationSplits.write(target, wanted);
    System.out.println("Splits from " + file + " written to " + target);
  }

  /** Same folds, each with the same training and validation cases in any order (as nnU-Net compares). */
  static boolean sameSplits(List<FoldSplit> a, List<FoldSplit> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (!new java.util.TreeSet<>(a.get(i).train()).equals(new java.util.TreeSet<>(b.get(i).train()))
          || !new java.util.TreeSet<>(a.get(i).val()).equals(new java.util.TreeSet<>(b.get(i).val()))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public Integer call() {
    check();
    engine.requireAvailable();
    if (splitsFile != null) {
      installSplits(storage.paths(), dataset(), splitsFile);
    }
    String dataset = dataset();
    String configuration = configuration();
    String fold = fold();
    int epochs = epochs();
    if (npz) {
      System.out.println("--npz: segflow's find-best needs no validation probabilities; nothing extra is written");
    }
    TrainingSettings settings = TrainingSettings.schedule(epochs, iterations, valIterations)
        .withCheckpointEvery(checkpointEvery).withResume(resume).withSeed(seed).withFinalValidation(!noValidation);
    FoldTrainingJob job = new FoldTrainingJob(storage.paths());
    FoldTrainingJob.Prepared prepared = job.prepare(dataset, configuration, fold, plansName);
    FoldInputs inputs = FoldInputs.ofPreprocessed(prepared.preprocessedDir(),
        PlansWriter.plansFile(prepared.preprocessedDir(), plansName));
    if (resume) {
      // as the pipeline's fold: checkpoints trained from other plans or data are refused, not continued
      inputs.claim(prepared.foldDir());
    } else {
      // starting over: the folder's checkpoints are of unknown inputs until this training finishes
      FoldInputs.forget(prepared.foldDir());
    }
    Optional<MetricsOptions.Endpoint> endpoint = metricsOptions.start();
    // before the console listener, so that each epoch line has the epoch time that includes this epoch
    EpochClock clock = new EpochClock(epochs, valIterations, cost -> System.out.println(cost.describe()));
    List<TrainingListener> listeners = new ArrayList<>(List.of(clock, ConsoleProgress.stdout(clock::secondsPerEpoch)));
    endpoint.ifPresent(e -> listeners.add(new TrainingMetricsListener(e.metrics().registry())));
    FoldTrainer.Outcome o;
    try {
      o = job.run(new FoldTrainingJob.Request(dataset, configuration, fold, plansName, settings,
          engine.deviceName(), engine.threads), listeners);
    } finally {
      endpoint.ifPresent(MetricsOptions.Endpoint::close);
    }
    inputs.claim(prepared.foldDir());
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
