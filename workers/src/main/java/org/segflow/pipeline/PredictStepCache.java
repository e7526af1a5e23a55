package org.segflow.pipeline;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.segflow.contract.StepRef;
import org.segflow.predict.CaseOutputs;
import org.segflow.predict.InputCase;
import org.segflow.predict.ModelFiles;
import org.segflow.predict.PredictionJob;
import org.segflow.predict.PredictionOptions;
import org.segflow.storage.SegflowPaths;

/**
 * The step cache of the pipeline's test-set prediction: the key is what the predictions are made from
 * (every test image's sha256 by case, each fold's checkpoint, the model's plans.json and dataset.json,
 * the postprocessing file the prediction applies and the inference_information.json find-best wrote),
 * how they are made (configuration, folds, checkpoint, step size, test-time mirroring, tiles per call,
 * probabilities, overlays), the references they are scored against, and the engine version. It is written
 * last as {@value #FILE_NAME} in the run's output folder, after every case and the scoring were written,
 * and removed before a prediction starts; a hit also needs every case's outputs on disk
 * ({@link CaseOutputs}), so a folder missing one is predicted again, never returned as complete.
 */
public final class PredictStepCache {

  public static final String FILE_NAME = "segflow_step_cache_predict.txt";

  /** What the scoring compares with: labelsTs (and masksTs), or nothing when the test set has no labels. */
  public record Scoring(Path labels, Path masks) {
    public static final Scoring NONE = new Scoring(null, null);

    public boolean scored() {
      return labels != null;
    }
  }

  private PredictStepCache() {}

  public static StepCacheKey key(SegflowPaths paths, PredictionJob.Request request, PredictionJob.Inputs inputs,
      StepRef inferenceInformation, Scoring scoring) {
    PredictionOptions o = request.options();
    ModelFiles model = inputs.model();
    StepCacheKey k = new StepCacheKey("predict").add("dataset", model.dataset().folderName())
        .add("option configuration", request.configuration())
        .add("option plans_name", request.plansName())
        .add("option folds", model.checkpoints().stream().map(ModelFiles.FoldCheckpoint::fold).toList())
        .add("option checkpoint", request.checkpoint().fileName())
        .add("option step_size", String.format(Locale.ROOT, "%s", o.stepSize()))
        .add("option tta", o.tta())
        .add("option tiles_per_call", o.tilesPerCall())
        .add("option save_probabilities", o.saveProbabilities())
        .add("option continue_prediction", o.continuePrediction())
        .add("option overlay_outline", o.overlayOutline())
        .add("option use_postprocessing", request.usePostprocessing())
        .add("input inference_information.json", inferenceInformation.sha256())
        .addFile("input plans.json", model.plansFile())
        .addFile("input dataset.json", model.datasetJsonFile());
    for (ModelFiles.FoldCheckpoint c : model.checkpoints()) {
      k.addFile("input checkpoint " + StepRefs.relative(paths, c.file()), c.file());
    }
    k.addFile("input postprocessing " + StepRefs.relative(paths, model.postprocessingFile()),
        model.postprocessingFile());
    k.add("input folder", StepRefs.relative(paths, inputs.input()));
    for (InputCase c : inputs.scan().cases()) {
      for (Path f : c.files()) {
        k.addFile("input case " + c.id() + " " + StepRefs.relative(paths, f), f);
      }
    }
    if (scoring.scored()) {
      k.addFolder("scoring labels", scoring.labels());
      k.add("scoring masks", scoring.masks() == null ? "none" : "given");
      if (scoring.masks() != null) {
        k.addFolder("scoring masks", scoring.masks());
      }
    } else {
      k.add("scoring", "none");
    }
    return k;
  }

  /**
   * Whether {@code inputs}' output folder holds a complete prediction (every case's outputs, the copies of
   * plans.json and dataset.json, the arguments and, when scored, summary.json) made from exactly
   * {@code key}'s inputs.
   */
  public static boolean hit(PredictionJob.Inputs inputs, PredictionOptions options, Scoring scoring,
      StepCacheKey key) {
    return record(inputs.output()).matches(key, outputs(inputs, options, scoring));
  }

  public static void invalidate(Path outputFolder) {
    record(outputFolder).invalidate();
  }

  public static void record(Path outputFolder, StepCacheKey key) {
    record(outputFolder).record(key);
  }

  private static List<Path> outputs(PredictionJob.Inputs inputs, PredictionOptions options, Scoring scoring) {
    Path out = inputs.output();
    List<Path> files = new ArrayList<>();
    for (InputCase c : inputs.scan().cases()) {
      files.addAll(new CaseOutputs(out, c.id()).all(options.saveProbabilities()));
    }
    files.add(out.resolve("plans.json"));
    files.add(out.resolve("dataset.json"));
    files.add(out.resolve(PredictionJob.ARGS_FILE));
    if (scoring.scored()) {
      files.add(out.resolve(TestSetPrediction.SUMMARY));
    }
    return files;
  }

  private static StepCacheRecord record(Path outputFolder) {
    return new StepCacheRecord(outputFolder.resolve(FILE_NAME));
  }
}
