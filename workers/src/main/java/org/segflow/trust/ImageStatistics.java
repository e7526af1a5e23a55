package org.segflow.trust;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.segflow.io.ImageArray;

/**
 * The drift features of one image in the model's input channels, all over the image's nonzero region
 * (a pixel nonzero in any channel: the region nnU-Net crops to, the field of view of a fundus
 * photograph): per channel {@code cN.p05/p50/p95} (intensity percentiles) and {@code cN.sharpness}
 * (mean absolute difference to the right and lower neighbours over the p05..p95 range: falls when the
 * image is blurred), plus {@code nonzero_fraction}, {@code log_height} and {@code log_width}.
 * At most {@value #MAX_SAMPLES} pixels on a regular stride are read, so the cost does not grow with the
 * image beyond one pass.
 */
public final class ImageStatistics {

  static final int MAX_SAMPLES = 16_384;

  private ImageStatistics() {}

  public static Map<String, Double> of(ImageArray image) {
    int h = image.height();
    int w = image.width();
    int n = h * w;
    int channels = image.channels();
    float[] data = image.data();
    int stride = Math.max(1, (n + MAX_SAMPLES - 1) / MAX_SAMPLES);
    float[][] values = new float[channels][Math.min(n, MAX_SAMPLES + 1)];
    double[] gradient = new double[channels];
    int gradientCount = 0;
    int inside = 0;
    int sampled = 0;
    int kept = 0;
    for (int i = 0; i < n; i += stride) {
      sampled++;
      if (!nonzero(data, channels, n, i)) {
        continue;
      }
      inside++;
      for (int c = 0; c < channels; c++) {
        values[c][kept] = data[c * n + i];
      }
      kept++;
      int x = i % w;
      if (x + 1 < w && i + w < n && nonzero(data, channels, n, i + 1) && nonzero(data, channels, n, i + w)) {
        for (int c = 0; c < channels; c++) {
          float v = data[c * n + i];
          gradient[c] += Math.abs(data[c * n + i + 1] - v) + Math.abs(data[c * n + i + w] - v);
        }
        gradientCount++;
      }
    }
    Map<String, Double> f = new LinkedHashMap<>();
    for (int c = 0; c < channels; c++) {
      Arrays.sort(values[c], 0, kept);
      double p05 = Percentiles.sorted(values[c], kept, 5);
      double p50 = Percentiles.sorted(values[c], kept, 50);
      double p95 = Percentiles.sorted(values[c], kept, 95);
      f.put("c" + c + ".p05", p05);
      f.put("c" + c + ".p50", p50);
      f.put("c" + c + ".p95", p95);
      double mean = gradientCount == 0 ? 0 : gradient[c] / (2.0 * gradientCount);
      f.put("c" + c + ".sharpness", mean / Math.max(p95 - p05, 1e-6));
    }
    f.put("nonzero_fraction", sampled == 0 ? 0 : (double) inside / sampled);
    f.put("log_height", Math.log(h));
    f.put("log_width", Math.log(w));
    return f;
  }

  private static boolean nonzero(float[] data, int channels, int n, int i) {
    for (int c = 0; c < channels; c++) {
      if (data[c * n + i] != 0) {
        return true;
      }
    }
    return false;
  }
}
