package org.segflow.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.GradientCollector;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** InstanceNorm2d(affine) -> LeakyReLU(0.01, inplace) as one TorchScript op. */
class NormActivationTest {

  private static final Shape SHAPE = new Shape(2, 3, 17, 19);

  @Test
  void matchesPerImagePerChannelMeanAndBiasedVarianceThenTheSlope() {
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
          double y = (x[base + i] - mean) / Math.sqrt(var + 1e-5) * gamma[ch] + beta[ch];
          expected[base + i] = (float) (y > 0 ? y : 0.01 * y);
        }
      }
    }
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray out = NormActivation.apply(manager.create(x, new Shape(n, c, h, w)),
          manager.create(gamma), manager.create(beta));
      assertEquals(new Shape(n, c, h, w), out.getShape());
      assertArrayEquals(expected, out.toFloatArray(), 1e-5f);
    }
  }

  @Test
  void usesPerImageStatisticsForASingleImage() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray input = manager.create(new float[] {1, 3, 10, 30}, new Shape(1, 2, 1, 2));
      NDArray out = NormActivation.apply(input, manager.ones(new Shape(2)),
          manager.zeros(new Shape(2)));
      // Each plane {a, b} becomes {-1, 1}·|b-a|/2 / sqrt((b-a)²/4 + eps), negatives times 0.01.
      float first = (float) (1 / Math.sqrt(1 + 1e-5));
      float second = (float) (10 / Math.sqrt(100 + 1e-5));
      assertArrayEquals(new float[] {-0.01f * first, first, -0.01f * second, second},
          out.toFloatArray(), 1e-6f);
    }
  }

  /**
   * The same values and gradients, bit for bit, as torch's ops one by one: batch norm on the
   * (1, N·C, H, W) fold, then the out-of-place leaky_relu (which keeps its input).
   */
  @Test
  void valuesAndGradientsEqualTorchsOpsOneByOne() {
    try (NDManager manager = NDManager.newBaseManager()) {
      manager.getEngine().setRandomSeed(11);
      float[] x = manager.randomNormal(SHAPE).toFloatArray();
      x[0] = 0f;
      x[1] = -0f;
      float[] gamma = {0.7f, -1.3f, 2f};
      float[] beta = {0.2f, 0.5f, -0.4f};
      float[] g = manager.randomNormal(SHAPE).toFloatArray();
      float[][] fused = forwardBackward(manager, x, gamma, beta, g,
          in -> NormActivation.apply(in.get(0), in.get(1), in.get(2)));
      float[][] oneByOne = forwardBackward(manager, x, gamma, beta, g, in -> {
        NDArray folded = in.get(0).reshape(1, 6, 17, 19);
        NDArray normalized = BatchNorm.batchNorm(folded, manager.zeros(new Shape(6)),
            manager.ones(new Shape(6)), in.get(1).tile(2), in.get(2).tile(2), -1, 0f,
            (float) NormActivation.EPS, true).singletonOrThrow();
        return Activation.leakyRelu(normalized, (float) NormActivation.NEGATIVE_SLOPE)
            .reshape(SHAPE);
      });
      String[] what = {"values", "input gradient", "gamma gradient", "beta gradient"};
      for (int i = 0; i < what.length; i++) {
        assertArrayEquals(oneByOne[i], fused[i], 1e-6f, what[i]);
      }
      // The slope is in play on both sides: some outputs are negative, scaled by 0.01.
      int negatives = 0;
      for (float v : fused[0]) {
        negatives += v < 0 ? 1 : 0;
      }
      assertTrue(negatives > fused[0].length / 4, negatives + " negative outputs");
    }
  }

  @Test
  void recordsNothingWithoutGradMode() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray x = manager.randomNormal(SHAPE);
      NDArray gamma = manager.ones(new Shape(3));
      NDArray beta = manager.zeros(new Shape(3));
      x.setRequiresGradient(true);
      NDArray out;
      try (NoGrad noGrad = new NoGrad()) {
        out = NormActivation.apply(x, gamma, beta);
      }
      assertFalse(out.hasGradient(), "an inference result carries no graph");
      assertEquals(x.getManager(), out.getManager());
    }
  }

  @Test
  void rejectsAMismatchedShape() {
    try (NDManager manager = NDManager.newBaseManager()) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> NormActivation.apply(manager.zeros(SHAPE), manager.ones(new Shape(4)),
              manager.zeros(new Shape(4))));
      assertTrue(e.getMessage().contains("3 channels"), e.getMessage());
    }
  }

  /** Output, then the gradients of sum(out·g) for x, gamma and beta. */
  private static float[][] forwardBackward(NDManager manager, float[] x, float[] gamma,
      float[] beta, float[] g, Function<NDList, NDArray> op) {
    try (NDManager step = manager.newSubManager();
         GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      NDList in = new NDList(step.create(x, SHAPE), step.create(gamma), step.create(beta));
      in.forEach(a -> a.setRequiresGradient(true));
      // A non-leaf input, as a convolution's output is.
      NDArray conv = in.get(0).mul(step.full(new Shape(), 1f));
      NDArray out = op.apply(new NDList(conv, in.get(1), in.get(2)));
      collector.backward(out.mul(step.create(g, SHAPE)).sum());
      return new float[][] {out.toFloatArray(), in.get(0).getGradient().toFloatArray(),
          in.get(1).getGradient().toFloatArray(), in.get(2).getGradient().toFloatArray()};
    }
  }
}
