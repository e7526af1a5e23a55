package org.segflow.postprocess;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.segflow.InvalidInputException;
import org.segflow.evaluate.CaseEvaluation;
import org.segflow.evaluate.FolderEvaluator;
import org.segflow.evaluate.LabelMap;
import org.segflow.evaluate.LabelMetrics;
import org.segflow.evaluate.SegmentationMetrics;
import org.segflow.evaluate.Summary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * nnU-Net's {@code determine_postprocessing}. Step 1: keep the largest component of the
 * all-foreground mask; accepted iff the foreground-mean Dice strictly improves and no label's mean
 * Dice decreases. Step 2 (more than one label): for each label in the given (dataset.json) order,
 * keep that label's largest component on top of the current best; accepted iff that label's mean
 * Dice strictly improves. Comparisons involving NaN are false, as in Python.
 */
public final class PostprocessingSelector {

  private static final Logger LOG = LoggerFactory.getLogger(PostprocessingSelector.class);

  private final List<Integer> labels;
  private final SegmentationMetrics metrics;

  /** @param foregroundLabels all foreground labels, in dataset.json order */
  public PostprocessingSelector(List<Integer> foregroundLabels, OptionalInt ignoreLabel) {
    this.labels = List.copyOf(foregroundLabels);
    this.metrics = new SegmentationMetrics(foregroundLabels, ignoreLabel);
  }

  public PostprocessingDecision select(List<LabeledCase> cases) {
    return select(CaseSource.of(cases));
  }

  public PostprocessingDecision select(CaseSource cases) {
    if (cases.size() == 0) {
      throw new IllegalArgumentException("no cases to determine postprocessing on");
    }
    Summary baseline = evaluate(cases, Postprocessing.NONE);
    Postprocessing chosen = Postprocessing.NONE;
    Summary current = baseline;

    Postprocessing candidate = chosen.then(KeepLargestComponent.ofForeground(labels));
    Summary result = evaluate(cases, candidate);
    boolean accept = result.foregroundMeanDice() > baseline.foregroundMeanDice();
    for (int label : labels) {
      if (result.mean(label).dice() < baseline.mean(label).dice()) {
        accept = false;
      }
    }
    LOG.info("keep largest foreground component: foreground-mean Dice {} -> {}: {}",
        baseline.foregroundMeanDice(), result.foregroundMeanDice(), accept ? "accepted" : "rejected");
    if (accept) {
      chosen = candidate;
      current = result;
    }

    if (labels.size() > 1) {
      for (int label : labels) {
        candidate = chosen.then(KeepLargestComponent.ofLabel(label));
        result = evaluate(cases, candidate);
        boolean better = result.mean(label).dice() > current.mean(label).dice();
        LOG.info("keep largest component of label {}: Dice {} -> {}: {}", label,
            current.mean(label).dice(), result.mean(label).dice(), better ? "accepted" : "rejected");
        if (better) {
          chosen = candidate;
          current = result;
        }
      }
    }
    return new PostprocessingDecision(chosen, baseline, current);
  }

  /**
   * Determines postprocessing for the label images in {@code predictionFolder} (each needs a
   * reference of the same name) and writes postprocessing.json into that folder.
   */
  public PostprocessingDecision selectForFolders(Path predictionFolder, Path referenceFolder,
      String fileEnding) {
    FolderEvaluator reader = new FolderEvaluator(labels, metrics.ignoreLabel(), fileEnding);
    List<String> names = reader.listFiles(predictionFolder);
    if (names.isEmpty()) {
      throw new InvalidInputException(predictionFolder, "no prediction files ending in " + fileEnding);
    }
    List<String> references = reader.listFiles(referenceFolder);
    if (!names.containsAll(references)) {
      LOG.warn("not all files of {} have a prediction in {}; postprocessing should be determined on "
          + "the whole dataset", referenceFolder, predictionFolder);
    }
    CaseSource source = new CaseSource() {
      @Override
      public int size() {
        return names.size();
      }

      @Override
      public LabeledCase load(int index) {
        Path prediction = predictionFolder.resolve(names.get(index));
        Path reference = referenceFolder.resolve(names.get(index));
        LabelMap ref = reader.readChecked(reference);
        LabelMap pred = reader.readChecked(prediction);
        if (!pred.sameShape(ref)) {
          throw new InvalidInputException(prediction, "is " + pred.height() + "x" + pred.width()
              + " but its reference " + reference + " is " + ref.height() + "x" + ref.width());
        }
        return new LabeledCase(prediction.toString(), reference.toString(), pred, ref);
      }
    };
    PostprocessingDecision decision = select(source);
    decision.write(predictionFolder.resolve(PostprocessingDecision.FILE_NAME));
    return decision;
  }

  /** The summary of the cases after applying {@code postprocessing} to every prediction. */
  public Summary evaluate(CaseSource cases, Postprocessing postprocessing) {
    List<CaseEvaluation> out = new ArrayList<>(cases.size());
    for (int i = 0; i < cases.size(); i++) {
      LabeledCase c = cases.load(i);
      LabelMap p = c.prediction();
      short[] seg = postprocessing.isNone() ? p.labels()
          : postprocessing.apply(p.labels(), p.height(), p.width());
      Map<Integer, LabelMetrics> m = metrics.compute(c.reference().labels(), seg, null);
      out.add(new CaseEvaluation(c.predictionFile(), c.referenceFile(), m));
    }
    return new Summary(labels, out);
  }
}
