package org.segflow.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SensorNoiseTest {

  @Test
  void inverseNormalMatchesPython() {
    // reference values from Python's statistics.NormalDist().inv_cdf
    assertEquals(-3.668329285121323, SensorNoise.inverseNormal(0.5 / 4096), 1e-8);
    assertEquals(-0.5244005127080407, SensorNoise.inverseNormal(0.3), 1e-8);
    assertEquals(-2.3263478740408408, SensorNoise.inverseNormal(0.01), 1e-8);
    assertEquals(2.3263478740408408, SensorNoise.inverseNormal(0.99), 1e-8);
  }

  @Test
  void rowsHaveUnitVarianceAndZeroMean() {
    float[] row = new float[300_000];
    SensorNoise.fill(new SplittableRandom(5), row, 3);
    double sum = 0;
    double sum2 = 0;
    for (float v : row) {
      sum += v;
      sum2 += v * v;
    }
    double mean = sum / row.length;
    assertEquals(0.0, mean, 0.01);
    assertEquals(1.0, sum2 / row.length - mean * mean, 0.02);
  }
}
