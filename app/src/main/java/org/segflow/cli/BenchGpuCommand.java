package org.segflow.cli;

import ai.djl.Device;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.segflow.evaluate.SummaryJson;
import org.segflow.net.DeviceChoice;
import org.segflow.net.Engines;
import org.segflow.net.NativePlatform;
import org.segflow.net.UNetArchitecture;
import org.segflow.plan.Plans;
import org.segflow.train.bench.TrainStepBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * deploy/gpu-check: proves that training and prediction run on this machine's accelerator (CUDA or
 * Apple's MPS) and measures them: training steps at the DRIVE-sized plan, then a small real run
 * (sample, convert, plan, two folds, their validation Dice) and {@code bench predict} on its model.
 * Exits 1 when no accelerator is used, so that a CPU-only machine can never pass.
 */
@Command(name = "gpu", mixinStandardHelpOptions = true,
    description = "On an NVIDIA GPU or an Apple-silicon Mac: training steps at 640x640 (batch 2, 8 stages), a 64 px "
        + "run of two folds and bench predict, all on the accelerator; prints step time, images/s, peak device "
        + "memory and the Dice. Exits 1 when no accelerator is used.")
final class BenchGpuCommand implements Callable<Integer> {

  static final int EXIT_NO_ACCELERATOR = 1;
  private static final int CHECK_DATASET = 990;

  @Option(names = "--patch", defaultValue = "640x640", description = "Training-step patch. Default: ${DEFAULT-VALUE}.")
  String patch;

  @Option(names = "--batch", defaultValue = "2", description = "Training-step batch size. Default: ${DEFAULT-VALUE}.")
  int batch;

  @Option(names = "--stages", defaultValue = "8",
      description = "Resolution stages of the training-step U-Net. Default: ${DEFAULT-VALUE}.")
  int stages;

  @Option(names = "--iterations", defaultValue = "10", description = "Timed training steps. Default: ${DEFAULT-VALUE}.")
  int iterations;

  @Option(names = "--epochs", defaultValue = "20", description = "Epochs per fold of the 64 px run. Default: ${DEFAULT-VALUE}.")
  int epochs;

  @Option(names = "--iterations-per-epoch", defaultValue = "50",
      description = "Training batches per epoch of the 64 px run. Default: ${DEFAULT-VALUE}.")
  int iterationsPerEpoch;

  @Option(names = "--allow-cpu", hidden = true,
      description = "Run the measurements on the CPU too (the result is still a failure): to test the check.")
  boolean allowCpu;

  @Mixin
  StorageOptions storage;

  @Mixin
  EngineOptions engine;

  @Override
  public Integer call() {
    Device device = engine.resolve();
    String platform = NativePlatform.current();
    boolean accelerated = device.isGpu() || DeviceChoice.isMps(device);
    if (!accelerated) {
      System.err.println("gpu-check: FAIL no accelerator in use: device " + device + " on " + platform
          + " (DJL's PyTorch engine sees no CUDA device, and MPS needs macOS on Apple silicon)"
          + (allowCpu ? "; measuring on the CPU anyway" : "; nothing measured"));
      if (!allowCpu) {
        return EXIT_NO_ACCELERATOR;
      }
    }
    System.out.printf(Locale.ROOT, "gpu-check: device %s on %s, training precision %s, %d threads%n", device,
        platform, Engines.precision(device), engine.engineThreads());

    int[] hw = SampleCommand.parseSize(patch);
    TrainStepBenchmark.Result train = TrainStepBenchmark.run(new TrainStepBenchmark.Config(
        UNetArchitecture.isotropic2d(1, 2, stages, true), batch, hw[0], hw[1], engine.engineThreads(), 1, 2,
        iterations), null, device);
    System.out.printf(Locale.ROOT, "train %dx%d batch %d, %d stages: %.0f ms/step (median of %d), %.2f images/s, "
            + "peak device memory %s, peak RSS %.2f GB%n", hw[0], hw[1], batch, stages, train.medianMillis(),
        iterations, batch * 1000 / train.medianMillis(), gigabytes(train.peakDeviceBytes()),
        train.peakRssBytes() / 1e9);

    List<Double> dice = smallRun(device);
    System.out.printf(Locale.ROOT, "small run 64x64, 2 folds x %d epochs of %d iterations: Dice fold 0 %.4f, fold 1 %.4f, mean %.4f%n",
        epochs, iterationsPerEpoch, dice.get(0), dice.get(1), (dice.get(0) + dice.get(1)) / 2);
    if (!accelerated) {
      System.err.println("gpu-check: FAIL the accelerator was not used (measured on " + device + ")");
      return EXIT_NO_ACCELERATOR;
    }
    System.out.println("gpu-check: OK on " + device);
    return 0;
  }

  /** Sample, convert, plan, train folds 0 and 1 and bench predict, each by its own command. */
  private List<Double> smallRun(Device device) {
    Path home = storage.paths().home().resolve("gpu-check")
        .resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    String h = home.toString();
    String dev = device.isGpu() ? "cuda" : DeviceChoice.isMps(device) ? "mps" : "cpu";
    String threads = Integer.toString(engine.engineThreads());
    String id = Integer.toString(CHECK_DATASET);
    run("sample", "--out", home.resolve("source").toString(), "--cases", "10", "--size", "64x64", "--seed", "7");
    run("convert", home.resolve("source").toString(), "-d", id, "--name", "GpuCheck", "--home", h);
    run("plan_and_preprocess", "-d", id, "-c", Plans.CONFIGURATION_2D, "-np", "1", "--home", h);
    List<Double> dice = new ArrayList<>();
    for (String fold : List.of("0", "1")) {
      run("train", "-d", id, "-c", Plans.CONFIGURATION_2D, "-f", fold, "--epochs", Integer.toString(epochs), "--iterations-per-epoch",
          Integer.toString(iterationsPerEpoch), "--val-iterations", "5", "--device", dev, "--threads", threads, "--precision", engine.precision,
          "--home", h);
      dice.add(foldDice(home, fold));
    }
    run("bench", "predict", "-d", id, "--size", "64x64", "--folds", "1,2", "--device", dev, "--threads", threads,
        "--home", h);
    return dice;
  }

  private static double foldDice(Path home, String fold) {
    try (var trainers = Files.list(home.resolve("results").resolve("Dataset" + CHECK_DATASET + "_GpuCheck"))) {
      Path trainer = trainers.filter(Files::isDirectory).findFirst().orElseThrow();
      return SummaryJson.read(trainer.resolve("fold_" + fold).resolve("validation").resolve("summary.json"))
          .foregroundMeanDice();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void run(String... args) {
    int code = SegflowCommand.commandLine().execute(args);
    if (code != 0) {
      throw new IllegalStateException("gpu-check: `segflow " + String.join(" ", args) + "` exited " + code);
    }
  }

  private static String gigabytes(long bytes) {
    return bytes < 0 ? "n/a (not reported on this device)" : String.format(Locale.ROOT, "%.2f GB", bytes / 1e9);
  }
}
