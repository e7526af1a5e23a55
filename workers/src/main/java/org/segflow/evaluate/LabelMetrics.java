package org.segflow.evaluate;

import org.segflow.storage.PythonFloat;
import java.util.Map;
import java.util.TreeMap;

/**
 * One label's confusion counts in one case, and nnU-Net's metrics derived from them. Dice and IoU
 * are NaN when the label is absent from both reference and prediction (TP + FP + FN = 0).
 */
public record LabelMetrics(long tp, long fp, long fn, long tn) {

  public double dice() {
    long denominator = 2 * tp + fp + fn;
    return denominator == 0 ? Double.NaN : (double) (2 * tp) / (double) denominator;
  }

  public double iou() {
    long denominator = tp + fp + fn;
    return denominator == 0 ? Double.NaN : (double) tp / (double) denominator;
  }

  public long nPred() {
    return tp + fp;
  }

  public long nRef() {
    return tp + fn;
  }

  /** The per-case entry of summary.json: Dice, FN, FP, IoU, TN, TP, n_pred, n_ref. */
  public Map<String, Object> toJson() {
    Map<String, Object> m = new TreeMap<>();
    m.put("Dice", new PythonFloat(dice()));
    m.put("FN", fn);
    m.put("FP", fp);
    m.put("IoU", new PythonFloat(iou()));
    m.put("TN", tn);
    m.put("TP", tp);
    m.put("n_pred", nPred());
    m.put("n_ref", nRef());
    return m;
  }
}
