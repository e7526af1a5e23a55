package org.segflow.preprocess;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.segflow.random.NumpyRandomState;

/**
 * Foreground locations for oversampling, drawn as nnU-Net's
 * {@code _sample_foreground_locations}: per label in the given order, take all pixels of that label in
 * C order ({@code np.argwhere}), keep k = max(min(10000, n), ceil(0.01 n)) of them chosen without
 * replacement by one {@code RandomState(1234)} shared by all labels of the case. An absent label draws
 * nothing and gets an empty array.
 */
public final class ClassLocationSampler {

  public static final int NUM_SAMPLES = 10000;
  public static final double MIN_PERCENT_COVERAGE = 0.01;
  public static final long SEED = 1234;

  private ClassLocationSampler() {}

  /**
   * Label to flattened pixel indices ({@code y * width + x} of the seg's own geometry), in the order
   * nnU-Net draws them; the map iterates in {@code labels} order.
   */
  public static Map<Integer, int[]> sample(short[] seg, List<Integer> labels) {
    NumpyRandomState rs = new NumpyRandomState(SEED);
    Map<Integer, int[]> out = new LinkedHashMap<>();
    for (int label : labels) {
      int[] all = pixelsOf(seg, label);
      if (all.length == 0) {
        out.put(label, all);
        continue;
      }
      int k = Math.min(NUM_SAMPLES, all.length);
      k = Math.max(k, (int) Math.ceil(all.length * MIN_PERCENT_COVERAGE));
      int[] chosen = rs.choiceWithoutReplacement(all.length, k);
      int[] picked = new int[k];
      for (int i = 0; i < k; i++) {
        picked[i] = all[chosen[i]];
      }
      out.put(label, picked);
    }
    return Collections.unmodifiableMap(out);
  }

  private static int[] pixelsOf(short[] seg, int label) {
    int n = 0;
    for (short s : seg) {
      if (s == label) {
        n++;
      }
    }
    int[] idx = new int[n];
    int j = 0;
    for (int p = 0; p < seg.length && j < n; p++) {
      if (seg[p] == label) {
        idx[j++] = p;
      }
    }
    return idx;
  }
}
