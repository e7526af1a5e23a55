package org.segflow.cli;

import ai.djl.Device;
import java.util.Locale;
import org.segflow.InvalidInputException;
import org.segflow.net.Engines;
import picocli.CommandLine.Option;

/** Where the network runs: the device and PyTorch's intra-op threads (commands that train or predict). */
final class EngineOptions {

  @Option(names = {"--device", "-device"}, defaultValue = "auto", paramLabel = "DEVICE",
      description = "cpu, gpu (nnU-Net's cuda) or auto (the GPU when DJL sees one); nnU-Net's mps (Apple "
          + "Metal) is refused: segflow's engine runs on CPU or CUDA. Default: ${DEFAULT-VALUE} "
          + "(nnU-Net's default is cuda).")
  String device;

  @Option(names = "--threads", defaultValue = "2", description = "Engine threads. Default: ${DEFAULT-VALUE}.")
  int threads;

  /** The device as segflow's engine names it: nnU-Net's cuda is gpu; case does not matter. */
  String deviceName() {
    String d = device == null ? "auto" : device.strip().toLowerCase(Locale.ROOT);
    return d.equals("cuda") ? "gpu" : d;
  }

  /**
   * Refuses, before any work, a device name segflow does not know or a device this machine's engine
   * does not have (cuda without a CUDA device, mps anywhere), with a one-line message.
   */
  void requireAvailable() {
    switch (deviceName()) {
      case "cpu", "auto" -> { }
      case "gpu" -> {
        if (Engines.pytorch(threads).getGpuCount() == 0) {
          throw new InvalidInputException("-device " + device + ": DJL's PyTorch engine sees no CUDA device on "
              + "this machine; use -device cpu (or auto), or run on a machine with a GPU and the CUDA natives");
        }
      }
      case "mps" -> throw new InvalidInputException("-device mps: segflow's engine (DJL PyTorch) runs on CPU or "
          + "CUDA only, not on Apple's Metal (mps); use -device cpu");
      default -> throw new InvalidInputException("unknown device '" + device
          + "': expected cpu, cuda (= gpu), auto, or nnU-Net's mps (refused here)");
    }
  }

  /** The device, with the engine's thread count set. */
  Device resolve() {
    return Engines.device(deviceName(), Engines.pytorch(threads));
  }
}
