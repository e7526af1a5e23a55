package org.segflow.evaluate;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One case's entry of summary.json: file names as nnU-Net records them and per-label counts, plus
 * the same counts restricted to the field of view when a mask was given ({@code fov} null otherwise).
 */
public record CaseEvaluation(String predictionFile, String referenceFile,
    Map<Integer, LabelMetrics> metrics, FovEvaluation fov) {

  public CaseEvaluation {
    metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
  }

  public CaseEvaluation(String predictionFile, String referenceFile,
      Map<Integer, LabelMetrics> metrics) {
    this(predictionFile, referenceFile, metrics, null);
  }

  public boolean hasFov() {
    return fov != null;
  }

  /** Counts inside the field-of-view mask read from {@code maskFile}. */
  public record FovEvaluation(String maskFile, Map<Integer, LabelMetrics> metrics) {
    public FovEvaluation {
      metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }
  }
}
