package org.segflow.train.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Reference values from numpy (float64) on the same inputs: logits[i] = float32(2·sin(0.7·i)) in
 * (2, 3, 3, 4), labels[j] = (7j + 3) % 5 % 3 in (2, 3, 4), following nnU-Net's loss formulas (docs/nnunet-parity.md).
 */
class LossTest {

  static NDArray logits(NDManager manager) {
    float[] v = new float[2 * 3 * 3 * 4];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (Math.sin(i * 0.7) * 2);
    }
    return manager.create(v, new Shape(2, 3, 3, 4));
  }

  static NDArray labels(NDManager manager) {
    long[] v = new long[2 * 3 * 4];
    for (int j = 0; j < v.length; j++) {
      v[j] = (7L * j + 3) % 5 % 3;
    }
    return manager.create(v, new Shape(2, 3, 4));
  }

  @Test
  void crossEntropyIsTheMeanOverPixels() {
    try (NDManager manager = NDManager.newBaseManager()) {
      assertEquals(1.8564854515503157,
          CrossEntropyLoss.compute(logits(manager), labels(manager)).getFloat(), 1e-5);
    }
  }

  @Test
  void crossEntropyAcceptsFloatLabels() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray floatLabels = labels(manager).toType(DataType.FLOAT32, false);
      assertEquals(1.8564854515503157,
          CrossEntropyLoss.compute(logits(manager), floatLabels).getFloat(), 1e-5);
    }
  }

  @Test
  void softDiceDropsBackgroundAndSumsOverTheBatch() {
    try (NDManager manager = NDManager.newBaseManager()) {
      assertEquals(-0.29352492201812713,
          SoftDiceLoss.compute(logits(manager), labels(manager), true).getFloat(), 1e-6);
      assertEquals(-0.29146351730224634,
          SoftDiceLoss.compute(logits(manager), labels(manager), false).getFloat(), 1e-6);
      // No foreground anywhere: dc = smooth / (P + smooth), almost 0.
      assertEquals(-1.40998078040516e-06,
          SoftDiceLoss.compute(logits(manager), manager.zeros(new Shape(2, 3, 4), DataType.INT64),
              true).getFloat(), 1e-9);
    }
  }

  @Test
  void deepSupervisionWeightsHalveAndDropTheLast() {
    double[] w = DeepSupervisionLoss.weights(7);
    // nnU-Net's deep supervision weights: [0.508, 0.254, 0.127, 0.0635, 0.0317, 0.0159, 0] (= 2^-i / 1.96875).
    assertArrayEquals(new double[] {0.5079365079365079, 0.25396825396825395, 0.12698412698412698,
        0.06349206349206349, 0.031746031746031744, 0.015873015873015872, 0}, w, 1e-15);
    assertArrayEquals(new double[] {1}, DeepSupervisionLoss.weights(1), 0);
  }

  @Test
  void deepSupervisionLossWeighsDiceAndCrossEntropyPerOutput() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray logits = logits(manager);
      NDArray labels = labels(manager);
      NDList outputs = new NDList(logits, logits.get(":, :, 1::2, 1::2"),
          logits.get(":, :, ::3, ::4"));
      NDList targets = new NDList(labels, labels.get(":, 1::2, 1::2"), labels.get(":, ::3, ::4"));
      // numpy: 2/3·(CE+Dice)(full) + 1/3·(CE+Dice)(odd rows/cols); the last output has weight 0.
      assertEquals(1.2194532920519132,
          new DeepSupervisionLoss(3, true).compute(outputs, targets).getFloat(), 1e-5);
      assertThrows(IllegalArgumentException.class,
          () -> new DeepSupervisionLoss(2, true).compute(outputs, targets));
    }
  }

  /**
   * Regression: DJL's x.mul(2f) keeps a tensor over a Java buffer it has already released, and
   * autograd reads it in backward. After a GC and fresh direct buffers full of 1e20 that memory holds
   * garbage, so a loss built that way returns gradients around 1e20 here.
   */
  @Test
  void gradientsDoNotDependOnJavaBuffersFreedBeforeBackward() throws Exception {
    float[] quiet = lossGradient(false);
    float[] stressed = lossGradient(true);
    assertArrayEquals(quiet, stressed, 1e-7f);
  }

  private static float[] lossGradient(boolean collectGarbageBeforeBackward) throws Exception {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray logits = logits(manager);
      NDArray labels = labels(manager);
      logits.setRequiresGradient(true);
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDList outputs = new NDList(logits, logits.get(":, :, 1::2, 1::2"));
        NDList targets = new NDList(labels, labels.get(":, 1::2, 1::2"));
        NDArray loss = new DeepSupervisionLoss(3, true).compute(
            new NDList(outputs.get(0), outputs.get(1), logits.get(":, :, ::3, ::4")),
            new NDList(targets.get(0), targets.get(1), labels.get(":, ::3, ::4")));
        if (collectGarbageBeforeBackward) {
          System.gc();
          Thread.sleep(50);
          List<ByteBuffer> junk = new ArrayList<>();
          for (int i = 0; i < 2000; i++) {
            ByteBuffer b = ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder());
            b.putFloat(0, 1e20f);
            junk.add(b);
          }
          assertEquals(2000, junk.size());
        }
        collector.backward(loss);
      }
      return logits.getGradient().toFloatArray();
    }
  }

  @Test
  void pseudoDiceCountsUseTheArgmax() {
    try (NDManager manager = NDManager.newBaseManager()) {
      ClassCounts counts = PseudoDice.counts(logits(manager), labels(manager));
      // numpy: class 1 tp 3 fp 5 fn 6; class 2 tp 1 fp 5 fn 4.
      assertEquals(new ClassCounts(new long[] {3, 1}, new long[] {5, 5}, new long[] {6, 4}),
          counts);
      ClassCounts twice = counts.plus(counts);
      assertArrayEquals(new long[] {6, 2}, twice.tp());
      assertArrayEquals(new double[] {6.0 / 17, 2.0 / 11}, twice.dicePerClass(), 1e-12);
      ClassCounts absent = new ClassCounts(new long[] {2, 0}, new long[] {1, 0},
          new long[] {1, 0});
      // class 1: 2·2 / (2·2 + 1 + 1); class 2 absent (NaN) is skipped by the nanmean.
      assertEquals(2.0 / 3, absent.meanForegroundDice(), 1e-12);
      assertEquals(Double.NaN, ClassCounts.zeros(2).meanForegroundDice());
    }
  }

  @Test
  void rejectsMismatchedShapes() {
    try (NDManager manager = NDManager.newBaseManager()) {
      assertThrows(IllegalArgumentException.class,
          () -> CrossEntropyLoss.compute(logits(manager), manager.zeros(new Shape(2, 3, 5))));
    }
  }
}
