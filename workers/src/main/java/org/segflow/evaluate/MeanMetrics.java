package org.segflow.evaluate;

import org.segflow.storage.PythonFloat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/** Averages of the eight summary.json metrics: per label over cases, or over labels. */
public record MeanMetrics(double dice, double fn, double fp, double iou, double tn, double tp,
    double nPred, double nRef) {

  /** nnU-Net's {@code mean[label]}: {@code np.nanmean} over cases (Dice/IoU NaN cases skipped). */
  public static MeanMetrics nanMeanOverCases(List<LabelMetrics> cases) {
    return new MeanMetrics(
        nanMean(cases, LabelMetrics::dice),
        nanMean(cases, m -> m.fn()),
        nanMean(cases, m -> m.fp()),
        nanMean(cases, LabelMetrics::iou),
        nanMean(cases, m -> m.tn()),
        nanMean(cases, m -> m.tp()),
        nanMean(cases, m -> m.nPred()),
        nanMean(cases, m -> m.nRef()));
  }

  /** nnU-Net's {@code foreground_mean}: a plain {@code np.mean} over labels (NaN propagates). */
  public static MeanMetrics meanOverLabels(List<MeanMetrics> labels) {
    return new MeanMetrics(
        mean(labels, MeanMetrics::dice),
        mean(labels, MeanMetrics::fn),
        mean(labels, MeanMetrics::fp),
        mean(labels, MeanMetrics::iou),
        mean(labels, MeanMetrics::tn),
        mean(labels, MeanMetrics::tp),
        mean(labels, MeanMetrics::nPred),
        mean(labels, MeanMetrics::nRef));
  }

  public Map<String, Object> toJson() {
    Map<String, Object> m = new TreeMap<>();
    m.put("Dice", new PythonFloat(dice));
    m.put("FN", new PythonFloat(fn));
    m.put("FP", new PythonFloat(fp));
    m.put("IoU", new PythonFloat(iou));
    m.put("TN", new PythonFloat(tn));
    m.put("TP", new PythonFloat(tp));
    m.put("n_pred", new PythonFloat(nPred));
    m.put("n_ref", new PythonFloat(nRef));
    return m;
  }

  private static <T> double nanMean(List<T> items, ToDoubleFunction<T> f) {
    return NumpySum.nanMean(items.stream().mapToDouble(f).toArray());
  }

  private static <T> double mean(List<T> items, ToDoubleFunction<T> f) {
    return NumpySum.mean(items.stream().mapToDouble(f).toArray());
  }
}
