package org.segflow.train.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.segflow.net.PlainConvUNet;
import org.segflow.net.Precision;
import org.segflow.net.UNetArchitecture;
import org.segflow.train.loss.DeepSupervisionLoss;
import org.segflow.train.loss.DeepSupervisionTargets;

class TrainStepTest {

  private static final int SIZE = 64;

  /**
   * 4 stages of 16..32 features: seconds for 40 steps at 64x64 on CPU. Not 8: on an AMD Zen 5 CPU
   * (family 26, AVX-512) the PyTorch 2.7.1 CPU convolution backward gives sporadic NaN input gradients
   * for the 8-channel convolutions (none with oneDNN held to AVX2, none from 16 channels up); nnU-Net
   * never plans fewer than 32 features.
   */
  private static UNetArchitecture tiny() {
    int[][] k = {{3, 3}, {3, 3}, {3, 3}, {3, 3}};
    int[][] s = {{1, 1}, {2, 2}, {2, 2}, {2, 2}};
    return new UNetArchitecture(1, 2, 4, new int[] {16, 32, 32, 32}, k, s, new int[] {2, 2, 2, 2},
        new int[] {2, 2, 2}, true);
  }

  /** Two images: a bright disk (image 0) and a bright bar (image 1) on noise; labels = shape. */
  private static float[][] batch() {
    SplittableRandom random = new SplittableRandom(3);
    float[] images = new float[2 * SIZE * SIZE];
    float[] labels = new float[2 * SIZE * SIZE];
    for (int b = 0; b < 2; b++) {
      for (int y = 0; y < SIZE; y++) {
        for (int x = 0; x < SIZE; x++) {
          boolean inside = b == 0
              ? (y - 30) * (y - 30) + (x - 26) * (x - 26) < 14 * 14
              : y >= 20 && y < 28 && x >= 6 && x < 58;
          int i = (b * SIZE + y) * SIZE + x;
          labels[i] = inside ? 1 : 0;
          images[i] = (inside ? 1f : 0f) + (float) (0.3 * random.nextGaussian());
        }
      }
    }
    return new float[][] {images, labels};
  }

  @Test
  void fortyNesterovStepsFitAFixedBatch() {
    UNetArchitecture arch = tiny();
    float[][] data = batch();
    try (NDManager manager = NDManager.newBaseManager()) {
      PlainConvUNet net = new PlainConvUNet(arch);
      net.initialize(manager, 2024);
      try (NesterovSgd sgd = NesterovSgd.nnUNet(net.getParameters().values())) {
        TrainStep step = TrainStep.nnUNet(net, sgd);
        float first = Float.NaN;
        float last = Float.NaN;
        for (int i = 0; i < 40; i++) {
          try (NDManager iteration = manager.newSubManager()) {
            NDArray images = iteration.create(data[0], new Shape(2, 1, SIZE, SIZE));
            NDArray labels = iteration.create(data[1], new Shape(2, SIZE, SIZE));
            NDList targets = DeepSupervisionTargets.downsample(labels,
                arch.deepSupervisionFactors());
            TrainStep.Outcome outcome = step.run(images, targets, 0.01);
            assertTrue(outcome.applied(), "step " + i + ": " + outcome);
            assertTrue(Double.isFinite(outcome.gradientNorm()), "gradient norm at step " + i);
            if (i == 0) {
              first = outcome.loss();
            }
            last = outcome.loss();
          }
        }
        // CE ~0.7 minus a weak Dice at the start; near -0.8 once the shapes are segmented.
        assertTrue(last < first - 1.0f, "loss went from " + first + " to " + last);

        try (NDManager validation = manager.newSubManager()) {
          NDArray images = validation.create(data[0], new Shape(2, 1, SIZE, SIZE));
          NDArray labels = validation.create(data[1], new Shape(2, SIZE, SIZE));
          TrainStep.Evaluation evaluation = step.evaluate(images,
              DeepSupervisionTargets.downsample(labels, arch.deepSupervisionFactors()));
          assertEquals(1, evaluation.counts().foregroundClasses());
          assertTrue(evaluation.counts().meanForegroundDice() > 0.8,
              "pseudo Dice " + evaluation.counts());
        }
      }
    }
  }

  @Test
  void fp16MixedTrainsWithFloat32MasterWeights() {
    assertFitsWith(Precision.FP16_MIXED);
  }

  @Test
  void bf16TrainsWithFloat32MasterWeights() {
    assertFitsWith(Precision.BF16);
  }

  /** 40 steps in the reduced precision still fit the batch; the weights stay float32. */
  private static void assertFitsWith(Precision precision) {
    UNetArchitecture arch = tiny();
    float[][] data = batch();
    try (NDManager manager = NDManager.newBaseManager()) {
      PlainConvUNet net = new PlainConvUNet(arch);
      net.initialize(manager, 2024);
      try (NesterovSgd sgd = NesterovSgd.nnUNet(net.getParameters().values())) {
        TrainStep step = TrainStep.nnUNet(net, sgd, precision);
        float first = Float.NaN;
        float last = Float.NaN;
        for (int i = 0; i < 40; i++) {
          try (NDManager iteration = manager.newSubManager()) {
            TrainStep.Outcome outcome = step.run(iteration.create(data[0], new Shape(2, 1, SIZE, SIZE)),
                DeepSupervisionTargets.downsample(iteration.create(data[1], new Shape(2, SIZE, SIZE)),
                    arch.deepSupervisionFactors()), 0.01);
            if (i == 0) {
              first = outcome.loss();
            }
            last = outcome.loss();
          }
        }
        assertTrue(last < first - 1.0f, precision + ": loss went from " + first + " to " + last);
        net.getParameters().values().forEach(p -> assertEquals(DataType.FLOAT32, p.getArray().getDataType()));
      }
    }
  }

  @Test
  void fp16GradientsThatOverflowSkipTheStepAndHalveTheScale() {
    UNetArchitecture arch = tiny();
    float[][] data = batch();
    try (NDManager manager = NDManager.newBaseManager()) {
      PlainConvUNet net = new PlainConvUNet(arch);
      net.initialize(manager, 2024);
      float[] before = net.getParameters().valueAt(0).getArray().toFloatArray();
      try (NesterovSgd sgd = NesterovSgd.nnUNet(net.getParameters().values())) {
        // float16 holds at most 65504: a loss scaled by 2^100 overflows every gradient
        LossScale scale = new LossScale((float) Math.pow(2, 100), 2f, 0.5f, 2000);
        TrainStep step = new TrainStep(net, new DeepSupervisionLoss(arch.numOutputs(), true), sgd,
            GradientClipping.NNUNET_MAX_NORM, Precision.FP16_MIXED, scale);
        try (NDManager iteration = manager.newSubManager()) {
          TrainStep.Outcome outcome = step.run(iteration.create(data[0], new Shape(2, 1, SIZE, SIZE)),
              DeepSupervisionTargets.downsample(iteration.create(data[1], new Shape(2, SIZE, SIZE)),
                  arch.deepSupervisionFactors()), 0.01);
          assertFalse(outcome.applied());
          assertFalse(Double.isFinite(outcome.gradientNorm()));
          assertTrue(Float.isFinite(outcome.loss()), "the loss itself is float32 and finite");
        }
        assertEquals((float) Math.pow(2, 99), scale.scale());
        assertArrayEquals(before, net.getParameters().valueAt(0).getArray().toFloatArray());
      }
    }
  }

  @Test
  void fp32IsTheUnscaledStepBitForBit() {
    UNetArchitecture arch = tiny();
    float[][] data = batch();
    float[][] weights = new float[2][];
    for (int run = 0; run < 2; run++) {
      try (NDManager manager = NDManager.newBaseManager()) {
        PlainConvUNet net = new PlainConvUNet(arch);
        net.initialize(manager, 2024);
        try (NesterovSgd sgd = NesterovSgd.nnUNet(net.getParameters().values())) {
          TrainStep step = run == 0 ? TrainStep.nnUNet(net, sgd)
              : new TrainStep(net, new DeepSupervisionLoss(arch.numOutputs(), true), sgd,
                  GradientClipping.NNUNET_MAX_NORM, Precision.FP32, new LossScale(1024f, 2f, 0.5f, 1));
          for (int i = 0; i < 3; i++) {
            try (NDManager iteration = manager.newSubManager()) {
              step.run(iteration.create(data[0], new Shape(2, 1, SIZE, SIZE)),
                  DeepSupervisionTargets.downsample(iteration.create(data[1], new Shape(2, SIZE, SIZE)),
                      arch.deepSupervisionFactors()), 0.01);
            }
          }
          weights[run] = net.getParameters().valueAt(0).getArray().toFloatArray();
        }
      }
    }
    // a loss scale handed to an fp32 step is never applied: fp32 stays the unscaled path
    assertArrayEquals(weights[0], weights[1]);
  }
}
