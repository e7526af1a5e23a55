package org.segflow.train.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.segflow.fingerprint.NumpyStats;
import org.segflow.net.PlainConvUNet;
import org.segflow.net.UNetArchitecture;
import org.segflow.train.TrainingSettings;
import org.segflow.train.loss.DeepSupervisionTargets;
import org.segflow.train.optim.NesterovSgd;
import org.segflow.train.optim.TrainStep;

/**
 * Times nnU-Net training steps (forward, deep-supervision loss, backward, clipping at 12, Nesterov
 * update) on random images with random 0/1 labels, each step in its own sub-manager, and reports
 * the median and minimum step time, the peak RSS and the achieved GFLOP/s ({@link UNetFlops}).
 *
 * <p>Used from tests and harnesses with a {@link Config}; `segflow bench train` times the real data
 * pipeline instead ({@link TrainingBenchmark}). OMP_WAIT_POLICY and the allocator are read once when the
 * native libraries load, so they belong in the environment of the JVM that runs it.
 */
public final class TrainStepBenchmark {

  /** What to run. Thread counts apply only if the engine has not started yet. */
  public record Config(UNetArchitecture architecture, int batch, int height, int width,
      int threads, int interopThreads, int warmup, int iterations) {}

  /** Step times in ms (measured iterations only), peak RSS and the analytic work per step. */
  public record Result(double[] stepMillis, double[] stepCpuSeconds, long peakRssBytes,
      double gflopPerStep, long parameterCount, long peakDeviceBytes) {

    public Result(double[] stepMillis, double[] stepCpuSeconds, long peakRssBytes, double gflopPerStep,
        long parameterCount) {
      this(stepMillis, stepCpuSeconds, peakRssBytes, gflopPerStep, parameterCount, -1);
    }

    public double medianMillis() {
      return NumpyStats.median(stepMillis);
    }

    public double minMillis() {
      return Arrays.stream(stepMillis).min().orElse(Double.NaN);
    }

    /** GFLOP/s at the median step time. */
    public double gflopPerSecond() {
      return gflopPerStep / (medianMillis() / 1000);
    }

    /** Median CPU seconds per step over all threads: wall time if the cores were not shared. */
    public double medianCpuSeconds() {
      return NumpyStats.median(stepCpuSeconds);
    }

    public String summary() {
      return String.format(Locale.ROOT,
          "median %.0f ms/step, min %.0f ms, peak RSS %.2f GB, %.1f GFLOP/step, %.1f GFLOP/s, "
              + "median CPU %.1f s/step, %d parameters, steps %s",
          medianMillis(), minMillis(), peakRssBytes / 1e9, gflopPerStep, gflopPerSecond(),
          medianCpuSeconds(), parameterCount, formatted(stepMillis));
    }
  }

  private TrainStepBenchmark() {}

  public static Result run(Config config) {
    return run(config, null);
  }

  /** Runs the benchmark; with {@code profilePath}, the last iteration is traced there. */
  public static Result run(Config config, String profilePath) {
    return run(config, profilePath, null);
  }

  /**
   * As above on {@code device} (null: the engine's default device, in float32), in the training
   * precision {@link org.segflow.net.Engines#precision} gives for it; peak device memory is sampled
   * after each step.
   */
  public static Result run(Config config, String profilePath, ai.djl.Device device) {
    System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(config.threads()));
    System.setProperty("ai.djl.pytorch.num_interop_threads",
        Integer.toString(config.interopThreads()));
    Engine.getEngine("PyTorch");
    UNetArchitecture arch = config.architecture();
    double[] times = new double[config.iterations()];
    double[] cpu = new double[config.iterations()];
    long parameterCount;
    long peakDevice = -1;
    try (NDManager manager = device == null ? NDManager.newBaseManager() : NDManager.newBaseManager(device)) {
      PlainConvUNet net = new PlainConvUNet(arch);
      net.initialize(manager, TrainingSettings.DEFAULT_SEED);
      parameterCount = net.parameterCount();
      int[][] factors = arch.deepSupervision()
          ? arch.deepSupervisionFactors() : new int[][] {{1, 1}};
      try (NesterovSgd optimizer = NesterovSgd.nnUNet(net.getParameters().values())) {
        TrainStep step = device == null ? TrainStep.nnUNet(net, optimizer)
            : TrainStep.nnUNet(net, optimizer, org.segflow.net.Engines.precision(device, arch));
        int total = config.warmup() + config.iterations();
        for (int i = 0; i < total; i++) {
          boolean profile = profilePath != null && i == total - 1;
          try (NDManager iteration = manager.newSubManager()) {
            NDArray images = iteration.randomNormal(
                new Shape(config.batch(), arch.inputChannels(), config.height(), config.width()));
            NDArray labels = iteration.randomInteger(0, 2,
                new Shape(config.batch(), config.height(), config.width()), DataType.INT64);
            NDList targets = DeepSupervisionTargets.downsample(labels, factors);
            if (profile) {
              JniUtils.startProfile(false, false, false);
            }
            double cpuStart = ProcessCpu.cpuSeconds();
            long start = System.nanoTime();
            TrainStep.Outcome outcome = step.run(images, targets, 0.01);
            double millis = (System.nanoTime() - start) / 1e6;
            double cpuUsed = ProcessCpu.cpuSeconds() - cpuStart;
            if (profile) {
              JniUtils.stopProfile(profilePath);
            }
            if (device != null) {
              peakDevice = Math.max(peakDevice, DeviceMemory.usedBytes(device));
            }
            if (i >= config.warmup()) {
              times[i - config.warmup()] = millis;
              cpu[i - config.warmup()] = cpuUsed;
            }
            System.out.printf(Locale.ROOT, "step %d%s: %.0f ms (CPU %.1f s), loss %.4f, "
                    + "grad norm %.3f, RSS %.2f GB%n", i, i < config.warmup() ? " (warm-up)" : "",
                millis, cpuUsed, outcome.loss(), outcome.gradientNorm(),
                ProcessMemory.rssBytes() / 1e9);
          }
        }
      }
    }
    double gflop = UNetFlops.trainingStep(arch, config.batch(), config.height(), config.width())
        / 1e9;
    return new Result(times, cpu, ProcessMemory.peakRssBytes(), gflop, parameterCount, peakDevice);
  }

  private static String formatted(double[] millis) {
    List<String> parts = new ArrayList<>();
    for (double m : millis) {
      parts.add(String.format(Locale.ROOT, "%.0f", m));
    }
    return parts.toString();
  }
}
