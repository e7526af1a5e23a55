package org.segflow.evaluate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Per-label confusion counts of a predicted label map against a reference (nnU-Net's
 * {@code compute_metrics}): pixels whose reference is the ignore label are left out, and so are
 * pixels outside an optional mask (e.g. a retinal field of view). One pass over the pixels counts a
 * small confusion matrix between the labels of interest and "anything else".
 */
public final class SegmentationMetrics {

  private final List<Integer> labels;
  private final OptionalInt ignoreLabel;
  /** label value (as unsigned 16 bits) -> slot in {@code labels}, or labels.size() for others. */
  private final byte[] slot;

  public SegmentationMetrics(List<Integer> labels, OptionalInt ignoreLabel) {
    if (labels.isEmpty() || labels.size() > 126) {
      throw new IllegalArgumentException("need 1 to 126 labels to evaluate, got " + labels);
    }
    if (ignoreLabel.isPresent()
        && (ignoreLabel.getAsInt() < 0 || ignoreLabel.getAsInt() > Short.MAX_VALUE)) {
      throw new IllegalArgumentException("ignore label " + ignoreLabel.getAsInt() + " is outside 0.."
          + Short.MAX_VALUE);
    }
    this.labels = Collections.unmodifiableList(new ArrayList<>(labels));
    this.ignoreLabel = ignoreLabel;
    this.slot = new byte[1 << 16];
    Arrays.fill(slot, (byte) labels.size());
    for (int i = 0; i < labels.size(); i++) {
      int label = labels.get(i);
      if (label < 0 || label > Short.MAX_VALUE) {
        throw new IllegalArgumentException("label " + label + " is outside 0.." + Short.MAX_VALUE);
      }
      if (slot[label] != labels.size()) {
        throw new IllegalArgumentException("label " + label + " is listed twice in " + labels);
      }
      if (ignoreLabel.isPresent() && ignoreLabel.getAsInt() == label) {
        throw new IllegalArgumentException("the ignore label " + label + " cannot also be evaluated");
      }
      slot[label] = (byte) i;
    }
  }

  public List<Integer> labels() {
    return labels;
  }

  public OptionalInt ignoreLabel() {
    return ignoreLabel;
  }

  /**
   * Counts per label, in the order of {@link #labels()}.
   *
   * @param mask pixels to score ({@code true}), or null to score every pixel
   */
  public Map<Integer, LabelMetrics> compute(short[] reference, short[] prediction, boolean[] mask) {
    if (reference.length != prediction.length || (mask != null && mask.length != reference.length)) {
      throw new IllegalArgumentException("reference (" + reference.length + "), prediction ("
          + prediction.length + ")" + (mask == null ? "" : " and mask (" + mask.length + ")")
          + " differ in pixel count");
    }
    int n = labels.size() + 1;
    int[] confusion = new int[n * n]; // [reference slot][prediction slot]
    boolean ignore = ignoreLabel.isPresent();
    short ignoreValue = ignore ? (short) ignoreLabel.getAsInt() : 0;
    for (int i = 0; i < reference.length; i++) {
      short r = reference[i];
      if ((mask != null && !mask[i]) || (ignore && r == ignoreValue)) {
        continue;
      }
      confusion[slot[r & 0xffff] * n + slot[prediction[i] & 0xffff]]++;
    }
    long total = 0;
    for (int c : confusion) {
      total += c;
    }
    Map<Integer, LabelMetrics> out = new LinkedHashMap<>();
    for (int a = 0; a < labels.size(); a++) {
      long tp = confusion[a * n + a];
      long fp = 0;
      long fn = 0;
      for (int b = 0; b < n; b++) {
        if (b != a) {
          fp += confusion[b * n + a];
          fn += confusion[a * n + b];
        }
      }
      out.put(labels.get(a), new LabelMetrics(tp, fp, fn, total - tp - fp - fn));
    }
    return out;
  }
}
