package org.segflow.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

/** The decoder's first convolution over [up, skip] without the concatenated tensor. */
class ConcatConvTest {

  private static final Shape UNIT = new Shape(1, 1);
  /**
   * Channels of up and of skip, and of the output, as in nnU-Net's decoder. At least 16: on an AMD
   * Zen 5 CPU (AVX-512) PyTorch 2.7.1's CPU convolution backward gives sporadic NaN input gradients
   * for a 10-in, 7-out convolution (none from 16 channels up; nnU-Net plans 32 and more).
   */
  private static final int C = 16;

  /** Output, then the gradients of up, skip, weight and bias for Σ out·g. */
  private static float[][] run(NDManager manager, boolean split, float[] up, float[] skip,
      float[] weight, float[] bias, float[] g) {
    try (NDManager step = manager.newSubManager();
        GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      NDArray a = step.create(up, new Shape(2, C, 12, 10));
      NDArray b = step.create(skip, new Shape(2, C, 12, 10));
      NDArray w = step.create(weight, new Shape(C, 2 * C, 3, 3));
      NDArray bb = step.create(bias, new Shape(C));
      for (NDArray p : new NDArray[] {a, b, w, bb}) {
        p.setRequiresGradient(true);
      }
      Shape padding = new Shape(1, 1);
      NDArray out = split ? PlainConvUNet.concatConv(a, b, w, bb, UNIT, padding)
          : Conv2d.conv2d(NDArrays.concat(new NDList(a, b), 1), w, bb, UNIT, padding, UNIT, 1)
              .singletonOrThrow();
      collector.backward(out.mul(step.create(g, out.getShape())).sum());
      return new float[][] {out.toFloatArray(), a.getGradient().toFloatArray(),
          b.getGradient().toFloatArray(), w.getGradient().toFloatArray(),
          bb.getGradient().toFloatArray()};
    }
  }

  @Test
  void equalsTheConvolutionOfTheConcatenationInValuesAndGradients() {
    try (NDManager manager = NDManager.newBaseManager()) {
      manager.getEngine().setRandomSeed(3);
      float[] up = manager.randomNormal(new Shape(2 * C * 12 * 10)).toFloatArray();
      float[] skip = manager.randomNormal(new Shape(2 * C * 12 * 10)).toFloatArray();
      float[] weight = manager.randomNormal(new Shape(C * 2 * C * 9)).toFloatArray();
      float[] bias = manager.randomNormal(new Shape(C)).toFloatArray();
      float[] g = manager.randomNormal(new Shape(2 * C * 12 * 10)).toFloatArray();
      float[][] concat = run(manager, false, up, skip, weight, bias, g);
      float[][] split = run(manager, true, up, skip, weight, bias, g);
      String[] names = {"output", "grad up", "grad skip", "grad weight", "grad bias"};
      for (int i = 0; i < names.length; i++) {
        assertEquals(concat[i].length, split[i].length, names[i]);
        // Sums of ~290 products of unit normals (|out| ~ 17): float32 rounding is ~1e-6 of that.
        assertArrayEquals(concat[i], split[i], 1e-4f, names[i]);
      }
      // The skip half of the weight matters (a split that dropped it would still match up's part).
      float[] noSkip = run(manager, true, up, new float[skip.length], weight, bias, g)[0];
      double difference = 0;
      for (int i = 0; i < noSkip.length; i++) {
        difference = Math.max(difference, Math.abs(noSkip[i] - split[0][i]));
      }
      assertTrue(difference > 1, "max difference without the skip " + difference);
    }
  }
}
