package org.segflow.net;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;
import java.util.SplittableRandom;

/**
 * nnU-Net's InitWeights_He: torch.nn.init.kaiming_normal_(w, a=1e-2), i.e. N(0, std²) with
 * std = sqrt(2 / (1 + a²) / fan_in) and torch's fan_in = shape[1] · prod(shape[2:]). For a
 * ConvTranspose2d weight (Cin, Cout, k, k) torch's fan_in is therefore Cout·k·k, kept here.
 * Values come from a seeded Java generator, so a seed gives the same weights on any engine/device.
 */
public final class HeNormalInitializer implements Initializer {

  /** nnU-Net's LeakyReLU negative slope, also the `a` of its He initialisation. */
  public static final double NEGATIVE_SLOPE = 1e-2;

  private final long seed;
  private final double negativeSlope;

  public HeNormalInitializer(long seed, double negativeSlope) {
    this.seed = seed;
    this.negativeSlope = negativeSlope;
  }

  /** The standard deviation torch's kaiming_normal_ uses for this weight shape. */
  public static double std(Shape shape, double negativeSlope) {
    if (shape.dimension() < 2) {
      throw new IllegalArgumentException("He initialisation needs a weight of rank >= 2, got "
          + shape);
    }
    long fanIn = shape.get(1);
    for (int i = 2; i < shape.dimension(); i++) {
      fanIn *= shape.get(i);
    }
    return Math.sqrt(2.0 / (1.0 + negativeSlope * negativeSlope) / fanIn);
  }

  @Override
  public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
    double std = std(shape, negativeSlope);
    SplittableRandom random = new SplittableRandom(seed);
    float[] values = new float[Math.toIntExact(shape.size())];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) (random.nextGaussian() * std);
    }
    // create() wraps a Java buffer; the copy lives in PyTorch's own memory like every other
    // tensor, so nothing depends on the Java buffer staying reachable.
    try (NDArray wrapped = manager.create(values, shape)) {
      return dataType == DataType.FLOAT32 ? wrapped.duplicate() : wrapped.toType(dataType, true);
    }
  }
}
