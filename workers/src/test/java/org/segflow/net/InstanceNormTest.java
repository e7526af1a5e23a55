package org.segflow.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class InstanceNormTest {

  @Test
  void matchesPerImagePerChannelMeanAndBiasedVariance() {
    int n = 2;
    int c = 3;
    int h = 5;
    int w = 7;
    SplittableRandom random = new SplittableRandom(7);
    float[] x = new float[n * c * h * w];
    for (int i = 0; i < x.length; i++) {
      // Different offsets and scales per plane so a wrong reduction axis cannot pass.
      int plane = i / (h * w);
      x[i] = (float) (random.nextGaussian() * (plane + 1) + 3 * plane);
    }
    float[] gamma = {0.5f, 2f, -1f};
    float[] beta = {0.1f, -0.3f, 1f};
    float[] expected = new float[x.length];
    for (int img = 0; img < n; img++) {
      for (int ch = 0; ch < c; ch++) {
        int base = (img * c + ch) * h * w;
        double mean = 0;
        for (int i = 0; i < h * w; i++) {
          mean += x[base + i];
        }
        mean /= h * w;
        double var = 0;
        for (int i = 0; i < h * w; i++) {
          var += (x[base + i] - mean) * (x[base + i] - mean);
        }
        var /= h * w;
        for (int i = 0; i < h * w; i++) {
          expected[base + i] =
              (float) ((x[base + i] - mean) / Math.sqrt(var + 1e-5) * gamma[ch] + beta[ch]);
        }
      }
    }
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray input = manager.create(x, new Shape(n, c, h, w));
      NDArray out = InstanceNorm.apply(input, manager.create(gamma), manager.create(beta),
          InstanceNorm.EPS);
      assertEquals(new Shape(n, c, h, w), out.getShape());
      assertArrayEquals(expected, out.toFloatArray(), 1e-5f);
    }
  }

  @Test
  void usesPerImageStatisticsForASingleImage() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray input = manager.create(new float[] {1, 3, 10, 30}, new Shape(1, 2, 1, 2));
      NDArray out = InstanceNorm.apply(input, manager.ones(new Shape(2)),
          manager.zeros(new Shape(2)), InstanceNorm.EPS);
      // Each plane {a, b} becomes {-1, 1}·|b-a|/2 / sqrt((b-a)²/4 + eps).
      float first = (float) (1 / Math.sqrt(1 + 1e-5));
      float second = (float) (10 / Math.sqrt(100 + 1e-5));
      assertArrayEquals(new float[] {-first, first, -second, second}, out.toFloatArray(), 1e-6f);
    }
  }
}
