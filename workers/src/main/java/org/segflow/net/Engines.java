package org.segflow.net;

import ai.djl.Device;
import ai.djl.engine.Engine;
import org.segflow.InvalidInputException;

/**
 * Starts DJL's PyTorch engine once with the thread counts that suit a 2-core box (intra-op threads,
 * one inter-op thread; OMP_WAIT_POLICY=PASSIVE comes from bin/segflow) and picks the device.
 */
public final class Engines {

  private Engines() {}

  /** Sets the thread counts; only effective before the engine's first use in this process. */
  public static synchronized Engine pytorch(int threads) {
    if (threads > 0) {
      System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
    }
    System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    return Engine.getEngine("PyTorch");
  }

  /**
   * {@code cpu}, {@code gpu} (fails clearly where DJL sees none) or {@code auto} (the GPU when there
   * is one: a gpu-pool worker runs here on CPU and on CUDA in production with the same command).
   */
  public static Device device(String name, Engine engine) {
    return switch (name == null ? "auto" : name.toLowerCase(java.util.Locale.ROOT)) {
      case "cpu" -> Device.cpu();
      case "gpu", "cuda" -> {
        if (engine.getGpuCount() == 0) {
          throw new InvalidInputException("--device gpu: DJL's PyTorch engine sees no CUDA device here; "
              + "use --device cpu or auto, or run on a machine with a GPU and the CUDA natives");
        }
        yield Device.gpu();
      }
      case "auto" -> engine.getGpuCount() > 0 ? Device.gpu() : Device.cpu();
      default -> throw new InvalidInputException("unknown device '" + name + "': expected cpu, gpu or auto");
    };
  }
}
