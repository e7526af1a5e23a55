package org.segflow.train.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OptimTest {

  private static Parameter parameter(NDManager manager, String name, float... values) {
    NDArray array = manager.create(values);
    array.setRequiresGradient(true);
    return Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT).optArray(array).build();
  }

  /** Backward of Σ w·c, so the gradient of w is c. */
  private static void backwardLinear(Parameter p, float... c) {
    try (NDManager step = p.getArray().getManager().newSubManager();
        GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      NDArray loss = p.getArray().mul(step.create(c)).sum();
      collector.backward(loss);
    }
  }

  @Test
  void nesterovFollowsTorchSgdSemantics() {
    try (NDManager manager = NDManager.newBaseManager()) {
      Parameter w = parameter(manager, "w", 1f, -2f);
      try (NesterovSgd sgd = new NesterovSgd(List.of(w), 0.9f, 0.1f)) {
        backwardLinear(w, 0.5f, 0.25f);
        sgd.step(0.1);
        // numpy: g = c + wd·w; v = mu·v + g; w -= lr·(g + mu·v)
        assertArrayEquals(new float[] {0.886f, -2.0095f}, w.getArray().toFloatArray(), 1e-6f);
        assertArrayEquals(new float[] {0f, 0f}, w.getArray().getGradient().toFloatArray(), 0f);
        backwardLinear(w, 0.5f, 0.25f);
        sgd.step(0.1);
        assertArrayEquals(new float[] {0.725566f, -2.0228695f}, w.getArray().toFloatArray(),
            1e-6f);
        assertArrayEquals(new float[] {1.1286f, 0.09405f},
            sgd.momentumBuffers().get("w").toFloatArray(), 1e-6f);
      }
    }
  }

  @Test
  void momentumStateRoundTripsThroughAStream() throws Exception {
    try (NDManager manager = NDManager.newBaseManager()) {
      Parameter a = parameter(manager, "w", 1f, -2f);
      Parameter b = parameter(manager, "w", 1f, -2f);
      try (NesterovSgd first = new NesterovSgd(List.of(a), 0.9f, 0.1f);
          NesterovSgd second = new NesterovSgd(List.of(b), 0.9f, 0.1f)) {
        backwardLinear(a, 0.5f, 0.25f);
        first.step(0.1);
        backwardLinear(b, 0.5f, 0.25f);
        second.step(0.1);
        // Perturb the second optimizer's state, then restore it from the first's.
        second.loadMomentumBuffers(Map.of("w", manager.create(new float[] {9f, 9f})));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        first.writeState(bytes);
        second.readState(new ByteArrayInputStream(bytes.toByteArray()));

        backwardLinear(a, 0.5f, 0.25f);
        first.step(0.1);
        backwardLinear(b, 0.5f, 0.25f);
        second.step(0.1);
        assertArrayEquals(a.getArray().toFloatArray(), b.getArray().toFloatArray(), 0f);
        assertThrows(IllegalArgumentException.class,
            () -> second.loadMomentumBuffers(Map.of("v", manager.create(new float[] {1f, 1f}))));
        assertThrows(IllegalArgumentException.class,
            () -> second.loadMomentumBuffers(Map.of("w", manager.create(new float[] {1f}))));
      }
    }
  }

  @Test
  void polyLearningRateMatchesNnUNet() {
    PolyLearningRate poly = PolyLearningRate.nnUNet(1000);
    assertEquals(0.01, poly.at(0), 0);
    // numpy: 0.01·0.5^0.9 and 0.01·0.001^0.9
    assertEquals(0.005358867312681466, poly.at(500), 1e-15);
    assertEquals(1.995262314968881e-05, poly.at(999), 1e-17);
    assertThrows(IllegalArgumentException.class, () -> poly.at(1000));
  }

  @Test
  void clippingScalesAllGradientsByTheGlobalNorm() {
    try (NDManager manager = NDManager.newBaseManager()) {
      Parameter a = parameter(manager, "a", 0f, 0f);
      Parameter b = parameter(manager, "b", 0f);
      backwardLinear(a, 3f, 4f);
      backwardLinear(b, 12f);
      // global norm sqrt(9 + 16 + 144) = 13 > 12: scale by 12 / (13 + 1e-6)
      double norm = GradientClipping.clipGlobalNorm(List.of(a, b), 12);
      assertEquals(13, norm, 1e-5);
      float scale = (float) (12 / (13 + 1e-6));
      assertArrayEquals(new float[] {3 * scale, 4 * scale},
          a.getArray().getGradient().toFloatArray(), 1e-6f);
      assertArrayEquals(new float[] {12 * scale}, b.getArray().getGradient().toFloatArray(), 1e-6f);
      // Below the threshold: unchanged.
      assertEquals(12, GradientClipping.clipGlobalNorm(List.of(a, b), 20), 1e-5);
      assertArrayEquals(new float[] {12 * scale}, b.getArray().getGradient().toFloatArray(), 0f);
    }
  }

  @Test
  void aStepDropsTheGradientsLikeZeroGradSetToNone() {
    try (NDManager manager = NDManager.newBaseManager()) {
      Parameter w = parameter(manager, "w", 1f, -2f);
      try (NesterovSgd sgd = new NesterovSgd(List.of(w), 0.9f, 0.1f)) {
        backwardLinear(w, 0.5f, 0.25f);
        NDArray before = w.getArray();
        assertArrayEquals(new float[] {0.5f, 0.25f}, gradient(w), 0f);
        sgd.step(0.1);
        // No gradient is held between steps: the parameter is a new leaf without one, the old
        // tensor (which held the gradient) is gone.
        assertNull(Gradients.of(w));
        assertTrue(before.isReleased());
        assertTrue(w.getArray().hasGradient(), "still trainable");
        assertArrayEquals(new float[] {0.886f, -2.0095f}, w.getArray().toFloatArray(), 1e-6f);
        // The next backward starts from nothing (no stale sum) ...
        backwardLinear(w, 1f, 1f);
        assertArrayEquals(new float[] {1f, 1f}, gradient(w), 0f);
        // ... and a skipped step drops it as well.
        sgd.zeroGradients();
        assertNull(Gradients.of(w));
      }
    }
  }

  private static float[] gradient(Parameter p) {
    try (NDArray g = Gradients.of(p)) {
      return g.toFloatArray();
    }
  }
}
