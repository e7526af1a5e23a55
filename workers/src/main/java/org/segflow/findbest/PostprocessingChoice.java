package org.segflow.findbest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.segflow.evaluate.FolderEvaluator;
import org.segflow.evaluate.Summary;
import org.segflow.evaluate.SummaryJson;
import org.segflow.postprocess.PostprocessingDecision;
import org.segflow.postprocess.PostprocessingFolders;
import org.segflow.postprocess.PostprocessingSelector;
import org.segflow.storage.AtomicFiles;

/**
 * nnU-Net's {@code determine_postprocessing(..., keep_postprocessed_files=True)} on a cross-validation
 * folder: postprocessing.json next to the predictions and {@code postprocessed/} with the
 * postprocessed label images, plans.json, dataset.json and a summary.json that, unlike the selector's
 * own, also scores inside the field-of-view masks when the dataset has them.
 */
public final class PostprocessingChoice {

  /** The decision and the evaluation of the postprocessed folder (with FOV metrics when masks exist). */
  public record Result(PostprocessingDecision decision, Path postprocessingFile, Path postprocessedFolder,
      Summary postprocessed) {

    public double fovForegroundMeanDice() {
      return postprocessed.hasFov() ? postprocessed.fovForegroundMean().dice() : Double.NaN;
    }
  }

  private PostprocessingChoice() {}

  public static Result determine(ModelFolder model, Path predictionFolder, List<String> files) {
    PostprocessingDecision decision = new PostprocessingSelector(model.foregroundLabels(), model.ignoreLabel())
        .selectForFolders(predictionFolder, model.referenceDir(), model.fileEnding());
    Path target = predictionFolder.resolve(PostprocessingFolders.POSTPROCESSED);
    FolderEvaluator evaluator = model.evaluator();
    Summary[] summary = new Summary[1];
    AtomicFiles.publishDirectory(target, tmp -> {
      PostprocessingFolders.apply(predictionFolder, tmp, decision.postprocessing(), model.fileEnding());
      for (String json : List.of("plans.json", "dataset.json")) {
        if (Files.isRegularFile(predictionFolder.resolve(json))) {
          Files.copy(predictionFolder.resolve(json), tmp.resolve(json));
        }
      }
      summary[0] = Relocated.summary(evaluator.evaluate(tmp, model.referenceDir(), model.maskDir(), files),
          target);
      SummaryJson.write(tmp.resolve(CrossValidationResults.SUMMARY), summary[0]);
    });
    return new Result(decision, predictionFolder.resolve(PostprocessingDecision.FILE_NAME), target, summary[0]);
  }
}
