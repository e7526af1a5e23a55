package org.segflow.net;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.segflow.InvalidInputException;

/**
 * Starts DJL's PyTorch engine once, with this machine's natives checked first, the intra-op thread
 * count (default: the machine's cores), one inter-op thread (the network runs one operator at a
 * time), and picks the device. OMP_WAIT_POLICY=PASSIVE comes from bin/segflow.
 */
public final class Engines {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Engines.class);

  private static boolean nativesChecked;
  private static boolean mpsAnnounced;
  private static Precision precision = Precision.AUTO;

  private Engines() {}

  /**
   * Sets the thread counts (0 or less: one per core) and starts the engine; the counts take effect
   * only before the engine's first use in this process.
   */
  public static synchronized Engine pytorch(int threads) {
    if (!nativesChecked) {
      // DJL downloads natives it does not find unless it is offline: only an explicit DJL_OFFLINE=false
      // (or -Dai.djl.offline=false) allows that.
      if (System.getenv("DJL_OFFLINE") == null && System.getProperty("ai.djl.offline") == null) {
        System.setProperty("ai.djl.offline", "true");
      }
      NativesCheck.problem(NativesCheck.current()).ifPresent(p -> {
        throw new InvalidInputException(p);
      });
      nativesChecked = true;
    }
    System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads(threads)));
    System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    return Engine.getEngine("PyTorch");
  }

  /** The intra-op thread count for a request: as asked, or one per core the JVM may use. */
  public static int threads(int requested) {
    return requested > 0 ? requested : Runtime.getRuntime().availableProcessors();
  }

  /** {@code cpu}, {@code gpu}/{@code cuda}, {@code mps} or {@code auto}: see {@link DeviceChoice#choose}. */
  public static Device device(String name, Engine engine) {
    Device device = DeviceChoice.choose(name, accelerators(engine));
    if (DeviceChoice.isMps(device)) {
      announceMpsFallback();
    }
    return device;
  }

  /** What this engine has: its CUDA devices, and Metal when it runs on Apple silicon and works. */
  public static DeviceChoice.Accelerators accelerators(Engine engine) {
    return new DeviceChoice.Accelerators(engine.getGpuCount(),
        NativePlatform.current().equals("osx-aarch64") && mpsWorks(engine));
  }

  /** The arithmetic the command line asked for (auto unless set); see {@link Precision}. */
  public static synchronized void setPrecision(Precision requested) {
    precision = requested;
  }

  /** The arithmetic training runs in on {@code device}. */
  public static synchronized Precision precision(Device device) {
    return precision.on(device);
  }

  /** The arithmetic prediction (and validation) runs in on {@code device}. */
  public static synchronized Precision inferencePrecision(Device device) {
    return precision.forInference(device);
  }

  /**
   * The arithmetic training runs in for {@code architecture} on {@code device}: as {@link #precision(Device)},
   * but bf16 only where {@link BFloat16Check} finds this machine's bf16 kernels give the network's outputs and
   * gradients right. Otherwise auto falls back to fp32, and an explicit bf16 is refused.
   */
  public static Precision precision(Device device, UNetArchitecture architecture) {
    Precision resolved = precision(device);
    return resolved == Precision.BF16 ? confirmed(BFloat16Check.of(architecture, device).forTraining(),
        architecture, device, "training") : resolved;
  }

  /** As {@link #precision(Device, UNetArchitecture)} for prediction and validation: the outputs must be right. */
  public static Precision inferencePrecision(Device device, UNetArchitecture architecture) {
    Precision resolved = inferencePrecision(device);
    return resolved == Precision.BF16 ? confirmed(BFloat16Check.of(architecture, device).forInference(),
        architecture, device, "prediction") : resolved;
  }

  private static Precision confirmed(boolean right, UNetArchitecture architecture, Device device, String use) {
    if (right) {
      return Precision.BF16;
    }
    synchronized (Engines.class) {
      if (precision == Precision.BF16) {
        throw new InvalidInputException("--precision bf16: this machine's bfloat16 kernels do not compute this "
            + "network's " + use + " right (" + BFloat16Check.of(architecture, device) + "); use fp32 or auto");
      }
    }
    return Precision.FP32;
  }

  /** An array made on Metal proves it: macOS before 12.3 or a libtorch without MPS fails here. */
  private static boolean mpsWorks(Engine engine) {
    try (NDManager m = engine.newBaseManager(DeviceChoice.MPS)) {
      m.zeros(new Shape(1)).close();
      return true;
    } catch (EngineException | IllegalArgumentException e) {
      LOG.info("MPS is not usable here: {}", e.getMessage());
      return false;
    }
  }

  /** Said once: the operators Metal lacks run on the CPU, or fail without the fallback switch. */
  private static synchronized void announceMpsFallback() {
    if (mpsAnnounced) {
      return;
    }
    mpsAnnounced = true;
    if ("1".equals(System.getenv("PYTORCH_ENABLE_MPS_FALLBACK"))) {
      LOG.info("device mps: operators Metal lacks run on the CPU (PYTORCH_ENABLE_MPS_FALLBACK=1); float64 work "
          + "stays on the CPU");
    } else {
      LOG.warn("device mps without PYTORCH_ENABLE_MPS_FALLBACK=1: an operator Metal lacks will fail; bin/segflow "
          + "sets it on macOS");
    }
  }
}
