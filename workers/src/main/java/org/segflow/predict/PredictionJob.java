package org.segflow.predict;

import ai.djl.Device;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.segflow.InvalidInputException;
import org.segflow.dataset.CaseNaming;
import org.segflow.net.Engines;
import org.segflow.storage.AtomicFiles;
import org.segflow.storage.Json;
import org.segflow.storage.SegflowPaths;

/**
 * {@code nnUNetv2_predict -i IN -o OUT -d DATASET -c CONFIG -f FOLDS}: finds the trained model,
 * lists the input cases, loads the networks and predicts every case into OUT, next to copies of
 * plans.json and dataset.json and the arguments (predict_from_raw_data_args.json), as nnU-Net does.
 * The same call serves the command line and, later, the Temporal activity.
 */
public final class PredictionJob {

  public static final String ARGS_FILE = "predict_from_raw_data_args.json";

  /**
   * What to predict. {@code folds} empty means all five; {@code usePostprocessing} applies the
   * trainer folder's postprocessing.json when it exists.
   */
  public record Request(Path input, Path output, String dataset, String configuration, String plansName,
      List<String> folds, ModelFiles.CheckpointChoice checkpoint, PredictionOptions options,
      boolean usePostprocessing, String device, int threads) {

    public Request {
      folds = List.copyOf(folds);
    }
  }

  /** The run's report with the model it used. */
  public record Result(PredictionReport report, ModelFiles model, InputScanner.Layout layout,
      boolean postprocessed) {}

  private final SegflowPaths paths;

  public PredictionJob(SegflowPaths paths) {
    this.paths = paths;
  }

  /** What a request predicts with and what it predicts, found without loading any network. */
  public record Inputs(Path input, Path output, ModelFiles model, InputScanner.Scan scan) {}

  /**
   * The model files and the input cases of {@code r}, checked as a run checks them (the pipeline's
   * predict step keys its cache on them).
   */
  public Inputs inputs(Request r) {
    Path out = r.output().toAbsolutePath().normalize();
    Path in = r.input().toAbsolutePath().normalize();
    if (Files.exists(out) && !Files.isDirectory(out)) {
      throw new InvalidInputException(out, "the output folder is a file; give a folder for the predictions");
    }
    if (out.equals(in)) {
      throw new InvalidInputException(out, "the output folder must differ from the input folder");
    }
    ModelFiles files = ModelFiles.locate(paths, r.dataset(), r.configuration(), r.plansName(), r.folds(),
        r.checkpoint());
    String fileEnding = org.segflow.dataset.RawDataset.readJson(files.datasetJsonFile()).fileEnding();
    CaseNaming naming = CaseNaming.ofRawDataset(paths.raw().resolve(files.dataset().folderName()),
        files.dataset().name(), fileEnding);
    return new Inputs(in, out, files, InputScanner.scan(in, fileEnding, naming));
  }

  public Result run(Request r, PredictionListener listener) {
    Inputs inputs = inputs(r);
    Path out = inputs.output();
    Path in = inputs.input();
    ModelFiles files = inputs.model();
    InputScanner.Scan scan = inputs.scan();
    Device device = Engines.device(r.device(), Engines.pytorch(r.threads()));
    try (TrainedModel model = TrainedModel.load(files, device, r.usePostprocessing())) {
      try {
        Files.createDirectories(out);
      } catch (IOException e) {
        throw new InvalidInputException(out, "cannot create the output folder: " + e.getMessage(), e);
      }
      copy(files.plansFile(), out.resolve("plans.json"));
      copy(files.datasetJsonFile(), out.resolve("dataset.json"));
      Json.write(out.resolve(ARGS_FILE), arguments(r, in, out, files, model));
      PredictionReport report = new Predictor(model, r.options()).predictAll(scan.cases(), out, listener);
      return new Result(report, files, scan.layout(), !model.postprocessing().isNone());
    }
  }

  /** nnU-Net's predict_from_files arguments, plus what segflow chose (folds, checkpoints, TTA ...). */
  private static Map<String, Object> arguments(Request r, Path in, Path out, ModelFiles files,
      TrainedModel model) {
    Map<String, Object> args = new LinkedHashMap<>();
    args.put("list_of_lists_or_source_folder", in.toString());
    args.put("output_folder_or_list_of_truncated_output_files", out.toString());
    args.put("save_probabilities", r.options().saveProbabilities());
    args.put("overwrite", !r.options().continuePrediction());
    args.put("num_processes_preprocessing", 1);
    args.put("num_processes_segmentation_export", 1);
    args.put("folder_with_segs_from_prev_stage", null);
    args.put("num_parts", 1);
    args.put("part_id", 0);
    Map<String, Object> segflow = new LinkedHashMap<>();
    segflow.put("model_folder", files.trainerDir().toString());
    segflow.put("folds", files.checkpoints().stream().map(ModelFiles.FoldCheckpoint::fold).toList());
    segflow.put("checkpoint_name", r.checkpoint().fileName());
    segflow.put("tile_step_size", r.options().stepSize());
    segflow.put("use_mirroring", r.options().tta());
    segflow.put("postprocessing", model.postprocessing().isNone() ? null : files.postprocessingFile().toString());
    segflow.put("device", r.device());
    args.put("segflow", segflow);
    return args;
  }

  private static void copy(Path from, Path to) {
    try {
      AtomicFiles.write(to, Files.readAllBytes(from));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy " + from, e);
    }
  }
}
