package org.segflow.train.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.segflow.net.NoGrad;
import org.segflow.net.Precision;
import org.segflow.net.RecordedCast;

/**
 * What this machine's engine reaches on the operation that dominates a U-Net: one 3x3 convolution
 * (stride 1, padding 1, Cin = Cout), forward, at the channel counts and sizes an nnU-Net 2D network
 * uses. The best GFLOP/s over those shapes is the ceiling the benchmarks compare their figures with:
 * a step or an image cannot take less than its convolution FLOPs divided by it, whatever else is
 * made faster (norms, activations and data movement only add to that floor).
 */
public final class ConvolutionCeiling {

  /** A timed convolution input: batch x channels x height x width, channels in and out. */
  public record ConvShape(int batch, int channels, int height, int width) {

    double gflop() {
      return 2.0 * 9 * channels * (double) channels * height * width * batch / 1e9;
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%dx%d at %dx%d, batch %d", channels, channels, height, width, batch);
    }
  }

  /** The shapes of nnU-Net's DRIVE network, one per resolution from 640x640 (32 features) to 40x40 (512). */
  public static final List<ConvShape> UNET_SHAPES = List.of(new ConvShape(2, 32, 640, 640),
      new ConvShape(2, 64, 320, 320), new ConvShape(2, 128, 160, 160), new ConvShape(2, 256, 80, 80),
      new ConvShape(2, 512, 40, 40));

  /** The best shape's throughput, and every shape's, in {@code precision}. */
  public record Result(double gflopPerSecond, ConvShape best, List<Double> perShape, List<ConvShape> shapes,
      Precision precision) {

    /** The least time {@code gflop} of convolutions can take on this machine. */
    public double floorSeconds(double gflop) {
      return gflop / gflopPerSecond;
    }

    /** "{@code what}: G GFLOP, floor F s, measured M s (P% of the ceiling)". */
    public String floor(String what, double gflop, double measuredSeconds) {
      double floor = floorSeconds(gflop);
      return String.format(Locale.ROOT, "%s: %.1f GFLOP, floor %.2f s, measured %.2f s (%.0f%% of the ceiling)",
          what, gflop, floor, measuredSeconds, 100 * floor / measuredSeconds);
    }

    public String report() {
      StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
          "convolution ceiling %.1f GFLOP/s (%s 3x3 conv %s, best of %d shapes:", gflopPerSecond, precision, best,
          shapes.size()));
      for (int i = 0; i < shapes.size(); i++) {
        sb.append(String.format(Locale.ROOT, " %d ch %.0f", shapes.get(i).channels(), perShape.get(i)));
      }
      return sb.append(")").toString();
    }
  }

  private ConvolutionCeiling() {}

  /** As below, in fp32. */
  public static Result measure(Device device, List<ConvShape> shapes, int repeats) {
    return measure(device, shapes, repeats, Precision.FP32);
  }

  /**
   * Times each shape {@code repeats} times after one untimed call and keeps each shape's fastest, computing
   * in {@code precision} (the benches pass the one their figures ran in).
   */
  public static Result measure(Device device, List<ConvShape> shapes, int repeats, Precision precision) {
    if (repeats < 1 || shapes.isEmpty()) {
      throw new IllegalArgumentException("need at least one shape and one repeat");
    }
    double[] rates = new double[shapes.size()];
    int best = 0;
    try (NDManager manager = NDManager.newBaseManager(device); NoGrad ignored = new NoGrad()) {
      for (int s = 0; s < shapes.size(); s++) {
        ConvShape shape = shapes.get(s);
        try (NDManager m = manager.newSubManager()) {
          NDArray x = reduced(m.randomNormal(new Shape(shape.batch(), shape.channels(), shape.height(),
              shape.width())), precision);
          NDArray w = reduced(m.randomNormal(0, 0.05f, new Shape(shape.channels(), shape.channels(), 3, 3),
              DataType.FLOAT32), precision);
          NDArray b = reduced(m.zeros(new Shape(shape.channels())), precision);
          long fastest = Long.MAX_VALUE;
          for (int i = 0; i <= repeats; i++) {
            long t0 = System.nanoTime();
            try (NDArray y = Conv2d.conv2d(x, w, b, new Shape(1, 1), new Shape(1, 1), new Shape(1, 1), 1)
                .singletonOrThrow()) {
              // reading one value waits for the result on asynchronous devices
              try (NDArray first = y.get(0, 0, 0, 0)) {
                (precision == Precision.FP32 ? first : RecordedCast.toFloat32(first)).getFloat();
              }
            }
            long dt = System.nanoTime() - t0;
            if (i > 0) {
              fastest = Math.min(fastest, dt);
            }
          }
          rates[s] = shape.gflop() / (fastest / 1e9);
          if (rates[s] > rates[best]) {
            best = s;
          }
        }
      }
    }
    return new Result(rates[best], shapes.get(best), Arrays.stream(rates).boxed().toList(), shapes, precision);
  }

  private static NDArray reduced(NDArray x, Precision precision) {
    return precision.compute() == DataType.FLOAT32 ? x : RecordedCast.to(x, precision.compute());
  }
}
