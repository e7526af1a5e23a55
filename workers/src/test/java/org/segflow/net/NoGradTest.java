package org.segflow.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.segflow.infer.NetworkTileLogits;

/** Forward passes off the engine's own thread (as on every activity thread) record no autograd graph. */
class NoGradTest {

  @Test
  void aForwardPassOnAnotherThreadRecordsAGraphUnlessInsideNoGrad() throws Exception {
    ExecutorService other = Executors.newSingleThreadExecutor();
    try (NDManager manager = NDManager.newBaseManager()) {
      PlainConvUNet net = new PlainConvUNet(PlainConvUNetTest.tinyFiveStage(false));
      net.initialize(manager, 1);
      NetworkTileLogits tiles = new NetworkTileLogits(net, manager, manager.getDevice(), Precision.FP32);
      float[] tile = manager.randomNormal(new Shape(1, 1, 32, 32)).toFloatArray();
      CompletableFuture.runAsync(() -> {
        // the hazard: PyTorch's grad mode is on by default on any thread but the engine's
        assertTrue(JniUtils.isGradMode());
        try (NDManager step = manager.newSubManager()) {
          NDArray x = step.create(tile, new Shape(1, 1, 32, 32));
          assertEquals("ConvolutionBackward0", gradFn(net.forward(x).get(0)), "a graph is recorded");
          try (NoGrad noGrad = new NoGrad()) {
            assertFalse(JniUtils.isGradMode(), "no graph inside NoGrad");
          }
          assertTrue(JniUtils.isGradMode(), "the thread's mode is restored");
          float[] logits = tiles.logits(tile, 1, 1, 32, 32);
          assertTrue(JniUtils.isGradMode(), "the sliding window leaves the thread's mode as it was");
          assertArrayEquals(net.forward(x).get(0).toFloatArray(), logits, 1e-6f);
        }
      }, other).get();
    } finally {
      other.shutdownNow();
    }
  }

  /** The output's autograd node (libtorch aborts the process when asked this of a tensor without one). */
  private static String gradFn(NDArray output) {
    return JniUtils.getGradientFunctionNames((PtNDArray) output);
  }
}
