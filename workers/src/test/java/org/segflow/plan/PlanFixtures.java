package org.segflow.plan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.segflow.dataset.DatasetJson;
import org.segflow.fingerprint.DatasetFingerprint;
import org.segflow.preprocess.normalization.IntensityProperties;

/** Fingerprints and dataset.json files shaped like 2D PNG datasets, for planner tests. */
final class PlanFixtures {

  private PlanFixtures() {}

  /** {@code cases} PNG cases of shape (1, h, w) after crop, spacing (999, 1, 1). */
  static DatasetFingerprint fingerprint2d(int cases, int h, int w, int channels,
      double medianRelativeSize) {
    List<List<Integer>> shapes = new ArrayList<>();
    List<List<Double>> spacings = new ArrayList<>();
    for (int c = 0; c < cases; c++) {
      shapes.add(List.of(1, h, w));
      spacings.add(List.of(999.0, 1.0, 1.0));
    }
    Map<String, IntensityProperties> props = new LinkedHashMap<>();
    for (int ch = 0; ch < channels; ch++) {
      props.put(String.valueOf(ch), new IntensityProperties(255, 120.5 + ch, 118, 3, 10.25, 240.5, 40.125));
    }
    return new DatasetFingerprint(props, medianRelativeSize, shapes, spacings);
  }

  static DatasetJson datasetJson(int cases, int numLabels, String... channelNames) {
    Map<String, String> channels = new LinkedHashMap<>();
    for (int i = 0; i < channelNames.length; i++) {
      channels.put(String.valueOf(i), channelNames[i]);
    }
    Map<String, Object> labels = new LinkedHashMap<>();
    labels.put("background", 0);
    for (int l = 1; l < numLabels; l++) {
      labels.put("class" + l, l);
    }
    return new DatasetJson(channels, null, labels, cases, ".png", "test", null, null, null, null);
  }
}
