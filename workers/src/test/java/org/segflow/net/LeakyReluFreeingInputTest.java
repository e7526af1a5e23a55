package org.segflow.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.GradientCollector;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** The training-time LeakyReLU: the fused op's values and gradients, without keeping its input. */
class LeakyReluFreeingInputTest {

  private static final Shape SHAPE = new Shape(2, 3, 17, 19);

  /** y with exact zeros, both signs and tiny values mixed into normal data. */
  private static float[] input(NDManager manager) {
    float[] y = manager.randomNormal(SHAPE).toFloatArray();
    for (int i = 0; i < y.length; i += 7) {
      y[i] = 0f;
    }
    y[1] = -0f;
    y[2] = Float.MIN_VALUE;
    y[3] = -Float.MIN_VALUE;
    y[4] = -1e-38f;
    return y;
  }

  /** The activation's output and the gradient it passes back for an upstream gradient g. */
  private static float[][] forwardBackward(NDManager manager, float[] y, float[] g,
      UnaryOperator<NDArray> activation) {
    try (NDManager step = manager.newSubManager();
        GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      NDArray x = step.create(y, SHAPE);
      x.setRequiresGradient(true);
      NDArray z = activation.apply(x);
      collector.backward(z.mul(step.create(g, SHAPE)).sum());
      return new float[][] {z.toFloatArray(), x.getGradient().toFloatArray()};
    }
  }

  @Test
  void valuesAndGradientsEqualTheFusedLeakyReluExactly() {
    try (NDManager manager = NDManager.newBaseManager()) {
      manager.getEngine().setRandomSeed(11);
      float[] y = input(manager);
      float[] g = manager.randomNormal(SHAPE).toFloatArray();
      float[][] fused = forwardBackward(manager, y, g,
          x -> Activation.leakyRelu(x, PlainConvUNet.NEGATIVE_SLOPE));
      float[][] freeing = forwardBackward(manager, y, g, PlainConvUNet::leakyReluFreeingInput);
      assertArrayEquals(fused[0], freeing[0], 0f, "forward");
      assertArrayEquals(fused[1], freeing[1], 0f, "backward");
      // Not the identity nor a plain ReLU: the negative side has slope 0.01 in both directions.
      int negative = 5;
      assertEquals(y[negative] < 0 ? 0.01f * y[negative] : y[negative], freeing[0][negative], 0f);
      assertEquals(y[negative] > 0 ? g[negative] : 0.01f * g[negative], freeing[1][negative], 0f);
    }
  }

  /**
   * Autograd refuses a backward through an op whose saved input was changed in place; changing y
   * after the activation is therefore a direct test of whether the activation keeps y.
   */
  @Test
  void keepsNoReferenceToItsInputForTheBackwardPass() {
    try (NDManager manager = NDManager.newBaseManager()) {
      float[] y = input(manager);
      float[] g = manager.randomNormal(SHAPE).toFloatArray();
      UnaryOperator<NDArray> thenChangeInput = x -> {
        NDArray nonLeaf = x.mul(manager.full(new Shape(), 1f));
        NDArray z = PlainConvUNet.leakyReluFreeingInput(nonLeaf);
        nonLeaf.addi(manager.full(new Shape(), 5f));
        return z;
      };
      float[][] expected = forwardBackward(manager, y, g, PlainConvUNet::leakyReluFreeingInput);
      assertArrayEquals(expected[1], forwardBackward(manager, y, g, thenChangeInput)[1], 0f);

      // The check itself can fail: the fused op keeps y, and the same change breaks its backward.
      UnaryOperator<NDArray> fusedThenChangeInput = x -> {
        NDArray nonLeaf = x.mul(manager.full(new Shape(), 1f));
        NDArray z = Activation.leakyRelu(nonLeaf, PlainConvUNet.NEGATIVE_SLOPE);
        nonLeaf.addi(manager.full(new Shape(), 5f));
        return z;
      };
      assertThrows(EngineException.class,
          () -> forwardBackward(manager, y, g, fusedThenChangeInput));
    }
  }
}
