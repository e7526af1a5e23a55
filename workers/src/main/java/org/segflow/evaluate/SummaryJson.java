package org.segflow.evaluate;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.segflow.InvalidInputException;
import org.segflow.storage.Json;

/**
 * summary.json in nnU-Net's layout: {@code foreground_mean}, {@code mean} (label keys as strings),
 * {@code metric_per_case} (metrics, prediction_file, reference_file), keys sorted, NaN bare, floats
 * as Python writes them. Field-of-view statistics go to an extra top-level {@code segflow_fov}
 * section of the same structure (its cases also name the {@code mask_file}), so tools that read
 * nnU-Net's keys see nothing unusual.
 */
public final class SummaryJson {

  public static final String FOV_SECTION = "segflow_fov";

  private SummaryJson() {}

  public static Map<String, Object> toJson(Summary summary) {
    Map<String, Object> root = new TreeMap<>();
    root.put("foreground_mean", summary.foregroundMean().toJson());
    root.put("mean", meansJson(summary.means()));
    List<Object> perCase = new ArrayList<>();
    for (CaseEvaluation c : summary.cases()) {
      perCase.add(caseJson(c.predictionFile(), c.referenceFile(), c.metrics(), null));
    }
    root.put("metric_per_case", perCase);
    if (summary.hasFov()) {
      Map<String, Object> fov = new TreeMap<>();
      fov.put("foreground_mean", summary.fovForegroundMean().toJson());
      fov.put("mean", meansJson(summary.fovMeans()));
      List<Object> fovCases = new ArrayList<>();
      for (CaseEvaluation c : summary.cases()) {
        fovCases.add(caseJson(c.predictionFile(), c.referenceFile(), c.fov().metrics(),
            c.fov().maskFile()));
      }
      fov.put("metric_per_case", fovCases);
      root.put(FOV_SECTION, fov);
    }
    return root;
  }

  /** The {@code foreground_mean} and {@code mean} blocks alone (as postprocessing.json embeds them). */
  public static Map<String, Object> meansBlock(Summary summary) {
    Map<String, Object> m = new TreeMap<>();
    m.put("foreground_mean", summary.foregroundMean().toJson());
    m.put("mean", meansJson(summary.means()));
    return m;
  }

  public static void write(Path file, Summary summary) {
    Json.write(file, toJson(summary));
  }

  /** Reads a summary.json written by this class or by nnU-Net (label keys only, no regions). */
  public static Summary read(Path file) {
    JsonNode root;
    try {
      root = Json.mapper().readTree(Files.readAllBytes(file));
    } catch (java.nio.file.NoSuchFileException e) {
      throw new InvalidInputException(file, "file not found");
    } catch (IOException e) {
      throw new InvalidInputException(file, "not valid JSON: " + e.getMessage(), e);
    }
    List<Integer> labels = new ArrayList<>();
    JsonNode mean = require(root, "mean", file);
    for (Iterator<String> it = mean.fieldNames(); it.hasNext(); ) {
      labels.add(parseLabel(it.next(), file));
    }
    labels.sort(null);
    JsonNode cases = require(root, "metric_per_case", file);
    JsonNode fovCases = root.has(FOV_SECTION) ? require(root.get(FOV_SECTION), "metric_per_case", file)
        : null;
    if (fovCases != null && fovCases.size() != cases.size()) {
      throw new InvalidInputException(file, FOV_SECTION + " has " + fovCases.size()
          + " cases but metric_per_case has " + cases.size());
    }
    List<CaseEvaluation> out = new ArrayList<>();
    for (int i = 0; i < cases.size(); i++) {
      JsonNode c = cases.get(i);
      CaseEvaluation.FovEvaluation fov = null;
      if (fovCases != null) {
        JsonNode f = fovCases.get(i);
        fov = new CaseEvaluation.FovEvaluation(require(f, "mask_file", file).asText(),
            metricsOf(require(f, "metrics", file), file));
      }
      out.add(new CaseEvaluation(require(c, "prediction_file", file).asText(),
          require(c, "reference_file", file).asText(), metricsOf(require(c, "metrics", file), file),
          fov));
    }
    try {
      return new Summary(labels, out);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(file, e.getMessage(), e);
    }
  }

  private static Map<String, Object> meansJson(Map<Integer, MeanMetrics> means) {
    Map<String, Object> m = new TreeMap<>();
    means.forEach((label, metrics) -> m.put(String.valueOf(label), metrics.toJson()));
    return m;
  }

  private static Map<String, Object> caseJson(String prediction, String reference,
      Map<Integer, LabelMetrics> metrics, String maskFile) {
    Map<String, Object> m = new TreeMap<>();
    Map<String, Object> perLabel = new TreeMap<>();
    metrics.forEach((label, lm) -> perLabel.put(String.valueOf(label), lm.toJson()));
    m.put("metrics", perLabel);
    m.put("prediction_file", prediction);
    m.put("reference_file", reference);
    if (maskFile != null) {
      m.put("mask_file", maskFile);
    }
    return m;
  }

  private static Map<Integer, LabelMetrics> metricsOf(JsonNode metrics, Path file) {
    Map<Integer, LabelMetrics> out = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = metrics.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode m = e.getValue();
      out.put(parseLabel(e.getKey(), file), new LabelMetrics(count(m, "TP", file),
          count(m, "FP", file), count(m, "FN", file), count(m, "TN", file)));
    }
    return out;
  }

  private static long count(JsonNode m, String key, Path file) {
    JsonNode v = require(m, key, file);
    if (!v.canConvertToLong() || v.asDouble() != Math.rint(v.asDouble())) {
      throw new InvalidInputException(file, "metric " + key + " must be a whole count, got " + v);
    }
    return v.asLong();
  }

  private static int parseLabel(String key, Path file) {
    try {
      return Integer.parseInt(key);
    } catch (NumberFormatException e) {
      throw new InvalidInputException(file, "label key '" + key
          + "' is not an integer label (region keys are not supported)");
    }
  }

  private static JsonNode require(JsonNode node, String key, Path file) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      throw new InvalidInputException(file, "missing field '" + key + "'");
    }
    return v;
  }
}
