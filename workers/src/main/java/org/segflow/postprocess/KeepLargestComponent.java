package org.segflow.postprocess;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * nnU-Net's {@code remove_all_but_largest_component_from_segmentation}: the pixels of the given labels
 * form one mask; everything outside its largest connected component is set to background (0).
 * {@code asList} records whether nnU-Net's kwargs hold a list of labels (the all-foreground step) or
 * a single label (the per-label step), so postprocessing.json reads the same as nnU-Net's.
 */
public record KeepLargestComponent(List<Integer> labels, boolean asList) {

  public static final String FUNCTION_NAME = "remove_all_but_largest_component_from_segmentation";

  public KeepLargestComponent {
    labels = Collections.unmodifiableList(new ArrayList<>(labels));
    if (labels.isEmpty()) {
      throw new IllegalArgumentException("keep-largest-component needs at least one label");
    }
    if (!asList && labels.size() != 1) {
      throw new IllegalArgumentException("a single-label step has exactly one label, got " + labels);
    }
  }

  /** The step over the union of all foreground labels. */
  public static KeepLargestComponent ofForeground(List<Integer> foregroundLabels) {
    return new KeepLargestComponent(foregroundLabels, true);
  }

  /** The step for one label alone. */
  public static KeepLargestComponent ofLabel(int label) {
    return new KeepLargestComponent(List.of(label), false);
  }

  /** A new label map; the input is not modified. */
  public short[] apply(short[] segmentation, int height, int width) {
    boolean[] mask = new boolean[segmentation.length];
    int[] wanted = labels.stream().mapToInt(Integer::intValue).toArray();
    for (int i = 0; i < mask.length; i++) {
      short v = segmentation[i];
      for (int l : wanted) {
        if (v == l) {
          mask[i] = true;
          break;
        }
      }
    }
    boolean[] keep = ConnectedComponents.keepLargest(mask, height, width);
    short[] out = segmentation.clone();
    for (int i = 0; i < out.length; i++) {
      if (mask[i] && !keep[i]) {
        out[i] = 0;
      }
    }
    return out;
  }

  /** The kwargs entry: {@code {"labels_or_regions": [1, 2]}} or {@code {"labels_or_regions": 2}}. */
  public Map<String, Object> kwargsJson() {
    Map<String, Object> m = new TreeMap<>();
    m.put("labels_or_regions", asList ? labels : labels.get(0));
    return m;
  }
}
