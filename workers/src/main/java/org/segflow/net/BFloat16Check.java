package org.segflow.net;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Whether this machine's bfloat16 kernels compute a network's convolutions right. They do not always:
 * on a 2-core AMD EPYC (family 26, avx512_bf16) PyTorch 2.7.1's oneDNN gave outputs unrelated to
 * float32's (30-100% off) for 3x3 convolutions with fewer than 16 output channels and for 1x1
 * convolutions of one input channel, and input gradients 30-70% off for a 3-class 1x1 seg head and
 * for a convolution of one input channel, while everything else matched float32 up to bfloat16's
 * rounding (under 1%). So before a network computes in bf16, each distinct convolution it
 * runs (encoder, decoder, the upsampling as its 1x1 projection, the two halves of the decoder's first
 * conv, the seg heads) runs once forward and backward in both precisions on seeded data; outputs and
 * gradients must agree within {@link #MAX_ERROR} of their largest value. Prediction needs the outputs
 * right; training also the weight gradients and the input gradients (but the first convolution's:
 * the image needs none). Once per architecture and device per process, logged.
 */
public final class BFloat16Check {

  /** Largest |bf16 - fp32| over the largest |fp32|, for the output and the input and weight gradients. */
  static final double MAX_ERROR = 0.05;

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(BFloat16Check.class);
  private static final int SIZE = 16;
  private static final long SEED = 16;
  private static final Map<String, Result> CHECKED = new HashMap<>();

  /**
   * The convolutions whose bf16 output is wrong, those whose bf16 gradients are (as training uses
   * them), and the largest error of either kind.
   */
  public record Result(List<String> wrongOutputs, List<String> wrongGradients, double worstError, int checked) {
    public Result {
      wrongOutputs = List.copyOf(wrongOutputs);
      wrongGradients = List.copyOf(wrongGradients);
    }

    /** bf16 predicts what fp32 predicts. */
    public boolean forInference() {
      return wrongOutputs.isEmpty();
    }

    /** bf16 also gives fp32's gradients. */
    public boolean forTraining() {
      return wrongOutputs.isEmpty() && wrongGradients.isEmpty();
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%d convolutions checked in bf16 against fp32, largest error %.4f "
          + "(at most %.2f)%s%s", checked, worstError, MAX_ERROR,
          wrongOutputs.isEmpty() ? "" : "; wrong outputs: " + String.join(", ", wrongOutputs),
          wrongGradients.isEmpty() ? "" : "; wrong gradients: " + String.join(", ", wrongGradients));
    }
  }

  /** One convolution's channels, kernel and stride; the first reads the image (no input gradient). */
  record Convolution(int in, int out, int[] kernel, int[] stride, boolean first) {
    String describe() {
      return String.format(Locale.ROOT, "%dx%d conv %d->%d stride %d", kernel[0], kernel[1], in, out, stride[0]);
    }
  }

  private BFloat16Check() {}

  /** The comparison for {@code architecture} on {@code device}, made once per process. */
  public static synchronized Result of(UNetArchitecture architecture, Device device) {
    UNetArchitecture plain = architecture.withDeepSupervision(false);
    return CHECKED.computeIfAbsent(plain + " on " + device, k -> {
      Result result = compare(convolutions(plain), device);
      if (result.forTraining()) {
        LOG.info("bf16 usable on {}: {}", device, result);
      } else {
        LOG.warn("bf16 usable on {} for {}: {}", device, result.forInference() ? "prediction only" : "nothing",
            result);
      }
      return result;
    });
  }

  /** Every distinct convolution {@link PlainConvUNet} runs for {@code a}. */
  static List<Convolution> convolutions(UNetArchitecture a) {
    List<Convolution> all = new ArrayList<>();
    int channels = a.inputChannels();
    int[] one = {1, 1};
    for (int s = 0; s < a.nStages(); s++) {
      for (int j = 0; j < a.convs(s); j++) {
        all.add(new Convolution(channels, a.features(s), a.kernel(s), j == 0 ? a.stride(s) : one,
            s == 0 && j == 0));
        channels = a.features(s);
      }
    }
    for (int d = 0; d < a.nStages() - 1; d++) {
      int below = a.nStages() - 1 - d;
      int skip = below - 1;
      int[] up = a.stride(below);
      int features = a.features(skip);
      all.add(new Convolution(a.features(below), features * up[0] * up[1], one, one, false));
      all.add(new Convolution(features, features, a.kernel(skip), one, false));
      all.add(new Convolution(features, a.numClasses(), one, one, false));
    }
    Map<String, Convolution> distinct = new LinkedHashMap<>();
    for (Convolution c : all) {
      distinct.putIfAbsent(c.describe() + " " + c.stride()[1] + " " + c.first(), c);
    }
    return List.copyOf(distinct.values());
  }

  private static Result compare(List<Convolution> convolutions, Device device) {
    List<String> wrongOutputs = new ArrayList<>();
    List<String> wrongGradients = new ArrayList<>();
    double worst = 0;
    // Grad mode is per thread and set here, not by a GradientCollector: DJL allows one collector per
    // process, and another thread may be training.
    boolean gradMode = JniUtils.isGradMode();
    try (NDManager manager = NDManager.newBaseManager(device)) {
      JniUtils.setGradMode(true);
      SplittableRandom random = new SplittableRandom(SEED);
      for (Convolution c : convolutions) {
        double[] errors = errors(c, manager, random);
        double gradients = Math.max(c.first() ? 0 : errors[1], errors[2]);
        worst = Math.max(worst, Math.max(errors[0], gradients));
        if (!(errors[0] <= MAX_ERROR)) {
          wrongOutputs.add(String.format(Locale.ROOT, "%s (%.2f)", c.describe(), errors[0]));
        }
        if (!(gradients <= MAX_ERROR)) {
          wrongGradients.add(String.format(Locale.ROOT, "%s (%.2f)", c.describe(), gradients));
        }
      }
    } finally {
      JniUtils.setGradMode(gradMode);
    }
    return new Result(wrongOutputs, wrongGradients, worst, convolutions.size());
  }

  /** The relative errors of the output, the input gradient and the weight gradient (NaN: infinite). */
  private static double[] errors(Convolution c, NDManager parent, SplittableRandom random) {
    try (NDManager manager = parent.newSubManager()) {
      Shape in = new Shape(2, c.in(), SIZE, SIZE);
      Shape weight = new Shape(c.out(), c.in(), c.kernel()[0], c.kernel()[1]);
      float[] x = gaussian(random, in.size(), 1);
      // He-normal scale, so outputs stay of order one whatever the fan-in
      float[] w = gaussian(random, weight.size(), Math.sqrt(2.0 / (weight.size() / c.out())));
      float[] b = gaussian(random, c.out(), 0.1);
      NDArray[] fp32 = pass(c, manager, x, w, b, DataType.FLOAT32);
      NDArray[] bf16 = pass(c, manager, x, w, b, DataType.BFLOAT16);
      double[] errors = new double[fp32.length];
      for (int i = 0; i < fp32.length; i++) {
        double error = fp32[i].sub(bf16[i]).abs().max().getFloat() / fp32[i].abs().max().getFloat();
        errors[i] = Double.isNaN(error) ? Double.POSITIVE_INFINITY : error;
      }
      return errors;
    }
  }

  /** Output (float32), input gradient and weight gradient of sum(conv(x)·g) for a fixed g. */
  private static NDArray[] pass(Convolution c, NDManager manager, float[] x, float[] w, float[] b,
      DataType compute) {
    NDArray input = manager.create(x, new Shape(2, c.in(), SIZE, SIZE));
    NDArray weight = manager.create(w, new Shape(c.out(), c.in(), c.kernel()[0], c.kernel()[1]));
    NDArray bias = manager.create(b, new Shape(c.out()));
    input.setRequiresGradient(true);
    weight.setRequiresGradient(true);
    boolean reduced = compute != DataType.FLOAT32;
    NDArray out = Conv2d.conv2d(reduced ? RecordedCast.to(input, compute) : input,
        reduced ? RecordedCast.to(weight, compute) : weight, reduced ? RecordedCast.to(bias, compute) : bias,
        new Shape(c.stride()[0], c.stride()[1]),
        new Shape((c.kernel()[0] - 1) / 2, (c.kernel()[1] - 1) / 2), new Shape(1, 1), 1).singletonOrThrow();
    NDArray output = reduced ? RecordedCast.toFloat32(out) : out;
    float[] g = gaussian(new SplittableRandom(SEED + 1), output.getShape().size(), 1);
    NDArray loss = output.mul(manager.create(g, output.getShape())).sum();
    JniUtils.backward((PtNDArray) loss, (PtNDArray) manager.ones(new Shape()), false, false);
    return new NDArray[] {output, input.getGradient(), weight.getGradient()};
  }

  private static float[] gaussian(SplittableRandom random, long n, double sigma) {
    float[] values = new float[Math.toIntExact(n)];
    for (int i = 0; i < values.length; i++) {
      // Box-Muller from two uniforms: a fixed normal sample without java.util.Random's state
      values[i] = (float) (sigma * Math.sqrt(-2 * Math.log(1 - random.nextDouble()))
          * Math.cos(2 * Math.PI * random.nextDouble()));
    }
    return values;
  }
}
