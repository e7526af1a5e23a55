package org.segflow.postprocess;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.segflow.InvalidInputException;
import org.segflow.evaluate.CaseEvaluation;
import org.segflow.evaluate.FolderEvaluator;
import org.segflow.evaluate.LabelMap;
import org.segflow.evaluate.Summary;
import org.segflow.evaluate.SummaryJson;
import org.segflow.storage.AtomicFiles;

/**
 * Postprocessing of label-image folders: nnU-Net's {@code apply_postprocessing_to_folder} and the
 * {@code postprocessed/} folder that {@code determine_postprocessing} leaves next to the predictions.
 * Label images are written as PNG.
 */
public final class PostprocessingFolders {

  public static final String POSTPROCESSED = "postprocessed";

  private PostprocessingFolders() {}

  /** Applies {@code postprocessing} to every label image of {@code input}; each output is atomic. */
  public static List<String> apply(Path input, Path output, Postprocessing postprocessing,
      String fileEnding) {
    requirePng(fileEnding);
    List<String> names = FolderEvaluator.listFiles(input, fileEnding);
    for (String name : names) {
      LabelMap seg = LabelMap.read(input.resolve(name));
      short[] out = postprocessing.apply(seg.labels(), seg.height(), seg.width());
      new LabelMap(seg.height(), seg.width(), out).writePng(output.resolve(name));
    }
    return names;
  }

  /**
   * Publishes {@code predictionFolder/postprocessed/} as a whole: the postprocessed label images and
   * their summary.json (the decision's "after" evaluation, pointing at the new files).
   */
  public static Path writePostprocessed(Path predictionFolder, PostprocessingDecision decision,
      String fileEnding) {
    requirePng(fileEnding);
    Path target = predictionFolder.resolve(POSTPROCESSED);
    AtomicFiles.publishDirectory(target, tmp -> {
      apply(predictionFolder, tmp, decision.postprocessing(), fileEnding);
      List<CaseEvaluation> cases = new ArrayList<>();
      for (CaseEvaluation c : decision.after().cases()) {
        String name = Path.of(c.predictionFile()).getFileName().toString();
        cases.add(new CaseEvaluation(target.resolve(name).toString(), c.referenceFile(),
            c.metrics(), c.fov()));
      }
      SummaryJson.write(tmp.resolve("summary.json"), new Summary(decision.after().labels(), cases));
    });
    return target;
  }

  private static void requirePng(String fileEnding) {
    if (!".png".equalsIgnoreCase(fileEnding)) {
      throw new InvalidInputException("postprocessed label images are written as PNG; file ending "
          + fileEnding + " is not supported");
    }
  }
}
