package org.segflow.net;

import ai.djl.Device;
import java.util.Locale;
import org.segflow.InvalidInputException;

/**
 * Which device a requested name means on a machine with the given accelerators. A pure function of
 * what the engine reports, so that every platform's answer is testable on any machine.
 */
public final class DeviceChoice {

  /** DJL's name for Apple's Metal device; index -1 is "the default Metal device". */
  public static final Device MPS = Device.of("mps", -1);

  /** What the engine sees: CUDA devices, and whether Apple's Metal (mps) runs tensors here. */
  public record Accelerators(int cudaDevices, boolean mps) {
    public static final Accelerators NONE = new Accelerators(0, false);
  }

  private DeviceChoice() {}

  /**
   * {@code cpu}; {@code gpu}/{@code cuda} (the first CUDA device); {@code mps} (Apple silicon's GPU);
   * {@code auto}: CUDA, else MPS, else CPU. A device the machine lacks is refused with a one-line
   * reason, never silently replaced.
   */
  public static Device choose(String requested, Accelerators available) {
    String name = requested == null ? "auto" : requested.strip().toLowerCase(Locale.ROOT);
    return switch (name) {
      case "cpu" -> Device.cpu();
      case "gpu", "cuda" -> {
        if (available.cudaDevices() == 0) {
          throw new InvalidInputException("-device " + requested + ": DJL's PyTorch engine sees no CUDA device on "
              + "this machine; use -device cpu (or auto), or run on a machine with a GPU and the CUDA natives");
        }
        yield Device.gpu();
      }
      case "mps" -> {
        if (!available.mps()) {
          throw new InvalidInputException("-device mps: MPS needs macOS on Apple silicon (arm64) and segflow "
              + "built there; this machine has none, use -device cpu (or auto)");
        }
        yield MPS;
      }
      case "auto" -> available.cudaDevices() > 0 ? Device.gpu() : available.mps() ? MPS : Device.cpu();
      default -> throw new InvalidInputException("unknown device '" + requested
          + "': expected cpu, cuda (= gpu), mps or auto");
    };
  }

  public static boolean isMps(Device device) {
    return "mps".equals(device.getDeviceType());
  }
}
