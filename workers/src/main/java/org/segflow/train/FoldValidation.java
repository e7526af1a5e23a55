package org.segflow.train;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.Consumer;
import org.segflow.evaluate.FolderEvaluator;
import org.segflow.evaluate.LabelMap;
import org.segflow.evaluate.Summary;
import org.segflow.evaluate.SummaryJson;
import org.segflow.infer.NetworkTileLogits;
import org.segflow.infer.SegmentationExport;
import org.segflow.infer.SlidingWindowOptions;
import org.segflow.infer.SlidingWindowPredictor;
import org.segflow.io.ImageArray;
import org.segflow.net.PlainConvUNet;
import org.segflow.preprocess.PreprocessedCase;

/**
 * nnU-Net's perform_actual_validation: every validation case of the fold segmented with
 * the sliding window (step 0.5, Gaussian weighting, mirroring), written to fold_K/validation/ in the
 * original geometry, and scored against gt_segmentations into validation/summary.json (with Dice
 * inside the field of view as well when FOV masks exist).
 */
public final class FoldValidation {

  /** The summary file and its headline numbers; {@code fovDice} is NaN without masks. */
  public record Result(Path summaryFile, double foregroundMeanDice, double fovDice) {}

  private final Path gtDir;
  private final Path maskDir;
  private final List<Integer> labels;
  private final int[] patchSize;
  private final SlidingWindowOptions options;

  public FoldValidation(Path gtDir, Path maskDirOrNull, List<Integer> foregroundLabels, int[] patchSize,
      SlidingWindowOptions options) {
    this.gtDir = gtDir;
    this.maskDir = maskDirOrNull != null && Files.isDirectory(maskDirOrNull) ? maskDirOrNull : null;
    this.labels = List.copyOf(foregroundLabels);
    this.patchSize = patchSize.clone();
    this.options = options;
  }

  /** The validation of a finished fold, when its summary.json was written after checkpoint_final. */
  public java.util.Optional<Result> existing(FoldContext fold) {
    Path file = fold.outputDir().resolve("validation").resolve("summary.json");
    Path model = fold.outputDir().resolve(Checkpoint.FINAL);
    try {
      if (!Files.exists(file) || !Files.exists(model)
          || Files.getLastModifiedTime(file).compareTo(Files.getLastModifiedTime(model)) < 0) {
        return java.util.Optional.empty();
      }
    } catch (java.io.IOException e) {
      return java.util.Optional.empty();
    }
    Summary summary = SummaryJson.read(file);
    return java.util.Optional.of(new Result(file, summary.foregroundMeanDice(),
        summary.hasFov() ? summary.fovForegroundMean().dice() : Double.NaN));
  }

  public Result run(PlainConvUNet network, NDManager manager, Device device, List<PreprocessedCase> cases,
      FoldContext fold, Consumer<String> log) {
    Path out = fold.outputDir().resolve("validation");
    SlidingWindowPredictor predictor = new SlidingWindowPredictor(
        new NetworkTileLogits(network, manager, device), patchSize[0], patchSize[1], options);
    List<String> names = new ArrayList<>();
    for (PreprocessedCase c : cases) {
      log.accept("predicting " + c.caseId());
      ImageArray logits = predictor.predictLogits(c.data());
      short[] seg = SegmentationExport.labels(logits, c.properties());
      int[] shape = c.properties().shapeBeforeCropping();
      new LabelMap(shape[shape.length - 2], shape[shape.length - 1], seg).writePng(out.resolve(c.caseId() + ".png"));
      names.add(c.caseId() + ".png");
    }
    Summary summary = new FolderEvaluator(labels, OptionalInt.empty(), ".png").evaluate(out, gtDir, maskDir, names);
    Path file = out.resolve("summary.json");
    SummaryJson.write(file, summary);
    log.accept("Validation complete");
    return new Result(file, summary.foregroundMeanDice(),
        summary.hasFov() ? summary.fovForegroundMean().dice() : Double.NaN);
  }
}
