package org.segflow.cli;

import ai.djl.Device;
import java.util.Locale;
import org.segflow.net.DeviceChoice;
import org.segflow.net.Engines;
import org.segflow.net.Precision;
import picocli.CommandLine.Option;

/**
 * Where the network runs: the device, PyTorch's intra-op threads and the training arithmetic
 * (commands that train or predict).
 */
final class EngineOptions {

  /** What --threads means in every command: the CPU threads doing the work. */
  static final String THREADS = "CPU threads the engine computes with; 0 = one per core of this machine.";

  @Option(names = {"--device", "-device"}, defaultValue = "auto", paramLabel = "DEVICE",
      completionCandidates = Choices.Devices.class,
      description = "cpu, cuda (= gpu), mps (Apple silicon's GPU, macOS only) or auto (CUDA, else MPS, else "
          + "CPU). Default: ${DEFAULT-VALUE} (nnU-Net's default is cuda).")
  String device;

  @Option(names = "--threads", defaultValue = "0", paramLabel = "N",
      description = THREADS + " Default: ${DEFAULT-VALUE}.")
  int threads;

  @Option(names = "--precision", defaultValue = "auto", paramLabel = "KIND",
      completionCandidates = Choices.Precisions.class,
      description = "Arithmetic of training and prediction: fp32, bf16 (bfloat16 passes, float32 master weights) or "
          + "fp16-mixed (float16 passes with loss scaling); auto = bf16 on a CPU with avx512_bf16 or AMX (twice the "
          + "convolution speed) for networks whose bf16 convolutions pass a check against fp32, fp16-mixed "
          + "training and fp32 prediction on CUDA (as nnU-Net trains), fp32 elsewhere. Default: ${DEFAULT-VALUE}.")
  String precision;

  /** The device as segflow's engine names it: nnU-Net's cuda is gpu; case does not matter. */
  String deviceName() {
    String d = device == null ? "auto" : device.strip().toLowerCase(Locale.ROOT);
    return d.equals("cuda") ? "gpu" : d;
  }

  /**
   * Refuses, before any work, a device or precision segflow does not know, or a device this
   * machine's engine does not have (cuda without a CUDA device, mps off Apple silicon), with a
   * one-line message.
   */
  void requireAvailable() {
    Precision p = Precision.parse(precision);
    if (deviceName().equals("mps") && !org.segflow.net.NativePlatform.current().equals("osx-aarch64")) {
      // Refused from the platform alone: no engine start needed to know that Metal is absent.
      DeviceChoice.choose(device, DeviceChoice.Accelerators.NONE);
    }
    switch (deviceName()) {
      case "cpu", "auto" -> { }
      case "gpu", "mps" -> DeviceChoice.choose(device, Engines.accelerators(Engines.pytorch(threads)));
      default -> DeviceChoice.choose(device, DeviceChoice.Accelerators.NONE);
    }
    Engines.setPrecision(p);
  }

  /** Sets the precision only (workers: the device is chosen per activity). */
  void applyPrecision() {
    Engines.setPrecision(Precision.parse(precision));
  }

  /** The intra-op thread count these options give on this machine. */
  int engineThreads() {
    return Engines.threads(threads);
  }

  /** The device, with the engine's thread count and the precision set. */
  Device resolve() {
    Engines.setPrecision(Precision.parse(precision));
    return Engines.device(deviceName(), Engines.pytorch(threads));
  }
}
