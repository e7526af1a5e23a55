package org.segflow.trust;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Builds the drift reference from training images' features and scores images against it. */
public final class DriftReference {

  /**
   * The score is a maximum over 7 (gray) to 15 (RGB) features, so its floor must leave room for that
   * maximum: for normally spread features max |z| exceeds 3 for 2-4% of in-distribution images but 4 for
   * 0.05-0.1%, and scales estimated from a few dozen training images spread wider still. With 3, an
   * in-distribution demo image was flagged at 3.03.
   */
  static final double MIN_THRESHOLD = 4.0;
  /** A 10% size change is one unit of score, so training sets of one size still tolerate small changes. */
  static final double LOG_SIZE_FLOOR = Math.log(1.1);

  private DriftReference() {}

  /** Median and scale of every feature over {@code images} (all with the same feature names). */
  public static Map<String, TrustProfile.Feature> build(List<Map<String, Double>> images) {
    if (images.isEmpty()) {
      throw new IllegalArgumentException("no training images to build a drift reference from");
    }
    Map<String, double[]> columns = new HashMap<>();
    for (String name : images.get(0).keySet()) {
      double[] col = new double[images.size()];
      for (int i = 0; i < col.length; i++) {
        col[i] = images.get(i).get(name);
      }
      columns.put(name, col);
    }
    Map<String, Double> medians = new HashMap<>();
    columns.forEach((k, v) -> medians.put(k, Percentiles.of(v, 50)));
    Map<String, TrustProfile.Feature> out = new HashMap<>();
    columns.forEach((name, col) -> {
      double median = medians.get(name);
      double scale = Math.max(Percentiles.robustSd(col, median), floor(name, medians));
      out.put(name, new TrustProfile.Feature(median, scale));
    });
    return out;
  }

  /**
   * The smallest scale of a feature: 5% of the channel's typical p05..p95 range for intensities, 5% of
   * the median for sharpness, 0.02 for the nonzero fraction, 10% for sizes.
   */
  private static double floor(String name, Map<String, Double> medians) {
    if (name.startsWith("log_")) {
      return LOG_SIZE_FLOOR;
    }
    if (name.equals("nonzero_fraction")) {
      return 0.02;
    }
    String channel = name.substring(0, name.indexOf('.'));
    if (name.endsWith(".sharpness")) {
      return Math.max(0.05 * medians.get(name), 1e-3);
    }
    double range = medians.get(channel + ".p95") - medians.get(channel + ".p05");
    return Math.max(0.05 * range, 1e-3);
  }

  /** The score and the feature that decided it; a feature missing from the image scores infinite. */
  public record Score(double value, String feature) {}

  public static Score score(Map<String, TrustProfile.Feature> reference, Map<String, Double> image) {
    double worst = 0;
    String which = "";
    for (Map.Entry<String, TrustProfile.Feature> e : reference.entrySet()) {
      Double x = image.get(e.getKey());
      double z = x == null ? Double.POSITIVE_INFINITY
          : Math.abs(x - e.getValue().median()) / e.getValue().scale();
      if (z > worst || which.isEmpty()) {
        worst = Math.max(worst, z);
        which = e.getKey();
      }
    }
    return new Score(worst, which);
  }

  /** max(MIN_THRESHOLD, 99th percentile of the cross-validation scores). */
  public static double threshold(double[] crossvalScores) {
    double p99 = crossvalScores.length == 0 ? 0 : Percentiles.of(crossvalScores, 99);
    return Math.max(MIN_THRESHOLD, p99);
  }
}
