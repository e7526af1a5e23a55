package org.segflow.train.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.segflow.fingerprint.NumpyStats;
import org.segflow.net.Engines;
import org.segflow.net.PlainConvUNet;
import org.segflow.net.Precision;
import org.segflow.preprocess.PreprocessedCase;
import org.segflow.train.FoldTrainer;
import org.segflow.train.augment.DeepSupervisionScales;
import org.segflow.train.augment.TrainingTransforms;
import org.segflow.train.data.Batch;
import org.segflow.train.data.BatchAssembler;
import org.segflow.train.data.BatchProducer;
import org.segflow.train.data.PatchSampler;
import org.segflow.train.optim.NesterovSgd;
import org.segflow.train.optim.TrainStep;

/**
 * Times real training iterations at a plan's patch and batch: the data pipeline (sampling and
 * augmentation on a background thread) feeding forward, deep-supervision loss, backward, clipping
 * and the Nesterov step, exactly as {@link FoldTrainer} runs them.
 */
public final class TrainingBenchmark {

  /**
   * Step times exclude waiting for data; the wait share is wait / (wait + step). Per iteration,
   * warm-up included: the RSS right after the step (its tensors freed) and the peak RSS so far,
   * which tell a step's own peak from memory that piles up across steps. The process CPU time of
   * the timed steps includes the data pipeline's thread; on a shared machine it is steadier than
   * wall time.
   */
  public record Result(String plan, double[] stepMillis, double dataWaitShare, long peakRssBytes,
      double gflopPerStep, double[] stepCpuSeconds, long[] rssAfterStep, long[] peakRssAfterStep,
      long heapCommittedBytes) {

    public double medianMillis() {
      return NumpyStats.median(stepMillis);
    }

    public double minMillis() {
      return Arrays.stream(stepMillis).min().orElse(Double.NaN);
    }

    public String report() {
      return String.format(Locale.ROOT, "%s%n  %.0f ms per iteration (median of %d, min %.0f), data wait %.1f%% "
              + "of the time, peak RSS %.2f GB, %.1f GFLOP per iteration, %.1f GFLOP/s (convolutions)%n"
              + "  median CPU %.1f s per iteration (all threads); per iteration RSS after it %s GB, "
              + "peak so far %s GB; JVM heap committed %.2f GB",
          plan, medianMillis(), stepMillis.length, minMillis(), 100 * dataWaitShare, peakRssBytes / 1e9,
          gflopPerStep, gflopPerStep / (medianMillis() / 1000), NumpyStats.median(stepCpuSeconds),
          gigabytes(rssAfterStep), gigabytes(peakRssAfterStep), heapCommittedBytes / 1e9);
    }

    private static String gigabytes(long[] bytes) {
      StringBuilder s = new StringBuilder("[");
      for (int i = 0; i < bytes.length; i++) {
        s.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.2f", bytes[i] / 1e9));
      }
      return s.append(']').toString();
    }
  }

  private TrainingBenchmark() {}

  public static Result run(FoldTrainer.NetworkPlan plan, List<PreprocessedCase> cases, Device device,
      int warmup, int iterations) {
    return run(plan, cases, device, warmup, iterations, null);
  }

  /**
   * As above; with {@code profilePath}, PyTorch's profiler traces the last iteration's step (with
   * input shapes) into that file, a Chrome trace ({@link OpProfile} reads it; so do Perfetto and
   * chrome://tracing). The traced step is slower than the others by the profiler's overhead.
   */
  public static Result run(FoldTrainer.NetworkPlan plan, List<PreprocessedCase> cases, Device device,
      int warmup, int iterations, Path profilePath) {
    Precision precision = Engines.precision(device, plan.architecture());
    int[] patch = plan.patchSize();
    PlainConvUNet network = new PlainConvUNet(plan.architecture().withDeepSupervision(true));
    double[][] ds = DeepSupervisionScales.fromStrides(plan.architecture().strides());
    PatchSampler sampler = PatchSampler.forTraining(cases, plan.batchSize(), patch);
    double[] steps = new double[iterations];
    double[] cpu = new double[iterations];
    long[] rss = new long[warmup + iterations];
    long[] peaks = new long[warmup + iterations];
    long waitNanos = 0;
    long stepNanos = 0;
    try (NDManager root = NDManager.newBaseManager(device)) {
      network.initialize(root, 1);
      try (NesterovSgd optimizer = NesterovSgd.nnUNet(network.getParameters().values());
           BatchProducer producer = BatchProducer.start(new BatchAssembler(sampler,
               TrainingTransforms.forTraining(patch, new int[] {0, 1}, plan.useMaskForNorm(), ds)), 1, 1,
               BatchProducer.DEFAULT_QUEUE_CAPACITY)) {
        TrainStep step = TrainStep.nnUNet(network, optimizer, precision);
        for (int i = 0; i < warmup + iterations; i++) {
          Batch batch = producer.next();
          long t0 = System.nanoTime();
          double cpu0 = ProcessCpu.cpuSeconds();
          try (NDManager it = root.newSubManager()) {
            NDList targets = new NDList();
            for (Batch.Target t : batch.targets()) {
              targets.add(it.create(t.toIntArray(), new Shape(batch.batchSize(), t.height(), t.width())));
            }
            boolean profile = profilePath != null && i == warmup + iterations - 1;
            if (profile) {
              JniUtils.startProfile(false, true, false);
            }
            step.run(it.create(batch.images(), new Shape(batch.imageShape())), targets, 0.01);
            if (profile) {
              JniUtils.stopProfile(profilePath.toString());
            }
          }
          long dt = System.nanoTime() - t0;
          double cpuUsed = ProcessCpu.cpuSeconds() - cpu0;
          rss[i] = ProcessMemory.rssBytes();
          peaks[i] = ProcessMemory.peakRssBytes();
          if (i >= warmup) {
            steps[i - warmup] = dt / 1e6;
            cpu[i - warmup] = cpuUsed;
            stepNanos += dt;
            waitNanos += batch.waitNanos();
          }
        }
      }
    }
    String desc = String.format(Locale.ROOT, "patch %dx%d, batch %d, %d stages, %d input channel(s), device %s, %s",
        patch[0], patch[1], plan.batchSize(), plan.architecture().nStages(), plan.architecture().inputChannels(),
        device, precision);
    return new Result(desc, steps, waitNanos / (double) (waitNanos + stepNanos), ProcessMemory.peakRssBytes(),
        UNetFlops.trainingStep(plan.architecture(), plan.batchSize(), patch[0], patch[1]) / 1e9, cpu, rss, peaks,
        Runtime.getRuntime().totalMemory());
  }
}
