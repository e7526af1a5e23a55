package org.segflow.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.segflow.plan.ExperimentPlanner;
import org.segflow.plan.Plans;
import org.segflow.predict.ConsolePredictionProgress;
import org.segflow.predict.ModelFiles;
import org.segflow.predict.PredictionJob;
import org.segflow.predict.PredictionOptions;
import org.segflow.predict.PredictionReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "predict", mixinStandardHelpOptions = true,
    description = {"Segment new images with a trained model (nnUNetv2_predict).",
        "IN: CASE_0000.png files (nnU-Net), <n>/image.png folders (optionally under crop_test/), or plain"
            + " images. OUT gets CASE.png (the label map, 0/1), masks/CASE.png (0/255), overlays/CASE.png and,"
            + " with --save-probabilities, CASE.npz; also the model's plans.json and dataset.json and"
            + " predict_from_raw_data_args.json."})
final class PredictCommand implements Callable<Integer> {

  /** Exit status when some cases failed (the others were written). */
  static final int EXIT_SOME_FAILED = 1;

  @Option(names = {"-i", "--input"}, required = true, paramLabel = "IN", description = "Input folder or image.")
  Path input;

  @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT", description = "Output folder.")
  Path output;

  @Option(names = {"-d", "--dataset"}, required = true, description = DatasetArg.EXISTING)
  String dataset;

  @Option(names = {"-c", "--configuration"}, defaultValue = Plans.CONFIGURATION_2D, converter = NnUNetArgs.Configuration.class,
      completionCandidates = Choices.Configurations.class, description = "Default: ${DEFAULT-VALUE}; 3d configurations are refused (segflow is 2D).")
  String configuration;

  @Option(names = {"-tr", "--trainer"}, defaultValue = NnUNetArgs.DEFAULT_TRAINER, paramLabel = "TRAINER",
      converter = NnUNetArgs.Trainer.class,
      description = "nnU-Net trainer the model was trained with: nnUNetTrainer or an epoch variant "
          + "(nnUNetTrainer_50epochs, ...). segflow keeps every variant in the nnUNetTrainer folder, so it only "
          + "checks the name. Default: ${DEFAULT-VALUE}.")
  String trainer;

  @Option(names = {"-p", "--plans"}, defaultValue = ExperimentPlanner.DEFAULT_PLANS_NAME,
      description = "Plans identifier. Default: ${DEFAULT-VALUE}.")
  String plansName;

  @Option(names = {"-f", "--folds"}, arity = "1..*", split = ",", paramLabel = "FOLD", converter = Folds.Token.class,
      completionCandidates = Folds.Candidates.class,
      description = Folds.DESCRIPTION + " The folds to ensemble. Default: 0 1 2 3 4.")
  List<String> folds = new ArrayList<>();

  @Option(names = {"--checkpoint", "-chk"}, defaultValue = "final", completionCandidates = Choices.Checkpoints.class,
      description = "final or best (also nnU-Net's checkpoint_final.pth, checkpoint_best.pth). "
          + "Default: ${DEFAULT-VALUE}.")
  String checkpoint;

  @Option(names = {"--step-size", "-step_size"}, defaultValue = "0.5",
      description = "Sliding-window step as a fraction of the patch. Default: ${DEFAULT-VALUE}.")
  double stepSize;

  @Option(names = {"--disable-tta", "--disable_tta"}, description = "No mirroring (4x faster, slightly worse).")
  boolean disableTta;

  @Option(names = "--tiles-per-call", defaultValue = "1", paramLabel = "N",
      description = "Tiles (mirrored copies included) per network call. 1 (default) is fastest and smallest on "
          + "CPU; more can help a GPU, at N tiles' activation memory. Default: ${DEFAULT-VALUE}.")
  int tilesPerCall;

  @Option(names = {"--save-probabilities", "--save_probabilities"},
      description = "Also write CASE.npz with the softmax probabilities.")
  boolean saveProbabilities;

  @Option(names = {"--continue-prediction", "--continue_prediction", "--c"},
      description = "Skip cases whose outputs already exist.")
  boolean continuePrediction;

  @Option(names = "--no-postprocessing",
      description = "Do not apply the model's postprocessing.json even when it exists.")
  boolean noPostprocessing;

  @Option(names = "--overlay-outline", description = "Draw region borders solid on the overlay.")
  boolean outline;

  @Option(names = "-npp", paramLabel = "N", defaultValue = "3",
      description = "nnU-Net's preprocessing processes: accepted; segflow preprocesses, predicts and exports "
          + "one case after the other in this process (the engine's threads: --threads). Default: ${DEFAULT-VALUE}.")
  int preprocessingProcesses;

  @Option(names = "-nps", paramLabel = "N", defaultValue = "3",
      description = "nnU-Net's segmentation export processes: accepted, as -npp. Default: ${DEFAULT-VALUE}.")
  int exportProcesses;

  @Option(names = "--verbose", description = "Accepted; changes nothing.")
  boolean verbose;

  @Option(names = "--disable_progress_bar", description = "No progress lines, only the summary.")
  boolean noProgress;

  @Option(names = "-num_parts", defaultValue = "1", description = "Only 1 (the default): this call predicts every case.")
  int numParts;

  @Option(names = "-part_id", defaultValue = "0", description = "Only 0 (the default).")
  int partId;

  @Option(names = "-prev_stage_predictions", paramLabel = "DIR",
      description = "Cascade input: refused (segflow has no 3D cascade).")
  Path previousStage;

  @Mixin
  StorageOptions storage;

  @Mixin
  EngineOptions engine;

  @Override
  public Integer call() {
    NnUNetArgs.refuse(numParts != 1 || partId != 0, "-num_parts " + numParts + " -part_id " + partId,
        "one call predicts every case");
    NnUNetArgs.refuse(previousStage != null, "-prev_stage_predictions", "segflow has no 3D cascade");
    engine.requireAvailable();
    PredictionOptions options = PredictionOptions.defaults().withStepSize(stepSize).withTta(!disableTta)
        .withSaveProbabilities(saveProbabilities).withContinuePrediction(continuePrediction)
        .withOverlayOutline(outline).withTilesPerCall(tilesPerCall);
    PredictionJob.Result r = new PredictionJob(storage.paths()).run(new PredictionJob.Request(input, output,
        dataset, configuration, plansName, folds, ModelFiles.CheckpointChoice.parse(checkpoint), options,
        !noPostprocessing, engine.deviceName(), engine.threads),
        noProgress ? org.segflow.predict.PredictionListener.NONE : ConsolePredictionProgress.stdout());
    PredictionReport report = r.report();
    System.out.printf(Locale.ROOT, "%d case(s) written to %s (folds %s, %s%s)%s%n", report.written().size(),
        output, String.join(" ", r.model().checkpoints().stream().map(ModelFiles.FoldCheckpoint::fold).toList()),
        disableTta ? "no TTA" : "TTA", r.postprocessed() ? ", postprocessed" : "",
        report.written().isEmpty() ? "" : String.format(Locale.ROOT, ", %.1f s per case", report.secondsPerCase()));
    if (!report.skipped().isEmpty()) {
      System.out.println(report.skipped().size() + " case(s) already predicted and skipped");
    }
    if (!report.ok()) {
      System.err.println(report.failures().size() + " case(s) failed:");
      for (PredictionReport.Failure f : report.failures()) {
        System.err.println("  " + f.caseId() + ": " + f.message());
      }
      return EXIT_SOME_FAILED;
    }
    return 0;
  }
}
