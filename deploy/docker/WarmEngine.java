import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Run once while an image is built (single-file source launch, JDK stage): makes DJL put the PyTorch
 * native library into ENGINE_CACHE_DIR (unpacked from the pytorch-native-cpu jar, or downloaded for the
 * PYTORCH_FLAVOR set, e.g. cu128), so a container never downloads or unpacks anything at start.
 */
public final class WarmEngine {
  public static void main(String[] args) {
    Engine engine = Engine.getEngine("PyTorch");
    try (NDManager manager = engine.newBaseManager()) {
      NDArray sum = manager.ones(new ai.djl.ndarray.types.Shape(2, 3)).sum();
      System.out.printf("%s %s ready in %s (gpus visible now: %d, 2x3 ones sum to %.0f)%n", engine.getEngineName(),
          engine.getVersion(), System.getenv("ENGINE_CACHE_DIR"), engine.getGpuCount(), sum.getFloat());
    }
  }
}
