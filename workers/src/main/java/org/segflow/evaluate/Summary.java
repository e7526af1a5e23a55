package org.segflow.evaluate;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The evaluation of a set of cases, as nnU-Net's summary.json: per-case counts, per-label means
 * ({@code np.nanmean} over cases) and the foreground mean (plain mean over the label means, label 0
 * excluded). When every case carries field-of-view counts the same statistics exist inside the FOV.
 */
public record Summary(List<Integer> labels, List<CaseEvaluation> cases) {

  public Summary {
    labels = Collections.unmodifiableList(new ArrayList<>(labels));
    cases = Collections.unmodifiableList(new ArrayList<>(cases));
    if (labels.isEmpty()) {
      throw new IllegalArgumentException("a summary needs at least one label");
    }
    if (cases.isEmpty()) {
      throw new IllegalArgumentException("a summary needs at least one case");
    }
    boolean fov = cases.get(0).hasFov();
    for (CaseEvaluation c : cases) {
      if (!c.metrics().keySet().containsAll(labels)
          || (c.hasFov() && !c.fov().metrics().keySet().containsAll(labels))) {
        throw new IllegalArgumentException("case " + c.predictionFile() + " lacks metrics for some of "
            + labels);
      }
      if (c.hasFov() != fov) {
        throw new IllegalArgumentException("field-of-view metrics must be given for all cases or none; "
            + c.predictionFile() + (fov ? " has none" : " has some"));
      }
    }
  }

  public boolean hasFov() {
    return cases.get(0).hasFov();
  }

  /** nnU-Net's {@code mean}: label -> nanmean over cases, in label order. */
  public Map<Integer, MeanMetrics> means() {
    return means(CaseEvaluation::metrics);
  }

  public MeanMetrics mean(int label) {
    return meanOf(label, CaseEvaluation::metrics);
  }

  /** nnU-Net's {@code foreground_mean}. */
  public MeanMetrics foregroundMean() {
    return foregroundMean(means());
  }

  public double foregroundMeanDice() {
    return foregroundMean().dice();
  }

  public Map<Integer, MeanMetrics> fovMeans() {
    requireFov();
    return means(c -> c.fov().metrics());
  }

  public MeanMetrics fovForegroundMean() {
    requireFov();
    return foregroundMean(fovMeans());
  }

  private void requireFov() {
    if (!hasFov()) {
      throw new IllegalStateException("this summary has no field-of-view metrics");
    }
  }

  private Map<Integer, MeanMetrics> means(Function<CaseEvaluation, Map<Integer, LabelMetrics>> part) {
    Map<Integer, MeanMetrics> out = new LinkedHashMap<>();
    for (int label : labels) {
      out.put(label, meanOf(label, part));
    }
    return out;
  }

  private MeanMetrics meanOf(int label, Function<CaseEvaluation, Map<Integer, LabelMetrics>> part) {
    if (!labels.contains(label)) {
      throw new IllegalArgumentException("label " + label + " was not evaluated; labels are " + labels);
    }
    List<LabelMetrics> perCase = new ArrayList<>(cases.size());
    for (CaseEvaluation c : cases) {
      perCase.add(part.apply(c).get(label));
    }
    return MeanMetrics.nanMeanOverCases(perCase);
  }

  private static MeanMetrics foregroundMean(Map<Integer, MeanMetrics> means) {
    List<MeanMetrics> foreground = new ArrayList<>();
    means.forEach((label, m) -> {
      if (label != 0) {
        foreground.add(m);
      }
    });
    return MeanMetrics.meanOverLabels(foreground);
  }
}
