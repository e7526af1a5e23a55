package org.segflow.net;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.segflow.InvalidInputException;

/**
 * The arithmetic of the network's forward and backward passes in training. The weights and the
 * optimizer always stay in float32 (master weights); the reduced kinds cast each weight for the pass
 * and the outputs back to float32 for the loss. {@code FP16_MIXED} also scales the loss (see
 * {@code train.optim.LossScale}) since float16 gradients underflow. bfloat16 is refused:
 * DJL 0.36's PyTorch engine aborts the process when it casts to it.
 */
public enum Precision {
  /** fp16-mixed on CUDA (what nnU-Net does there: autocast and a GradScaler), fp32 elsewhere. */
  AUTO("auto", DataType.FLOAT32),
  FP32("fp32", DataType.FLOAT32),
  FP16_MIXED("fp16-mixed", DataType.FLOAT16);

  private final String label;
  private final DataType compute;

  Precision(String label, DataType compute) {
    this.label = label;
    this.compute = compute;
  }

  /** The command-line name (fp32, bf16, fp16-mixed, auto) to a precision, or a one-line refusal. */
  public static Precision parse(String name) {
    String n = name == null ? "auto" : name.strip().toLowerCase(Locale.ROOT);
    if (n.equals("bf16")) {
      throw new InvalidInputException("--precision bf16 is not available: DJL 0.36's PyTorch engine cannot cast "
          + "to bfloat16; use fp16-mixed or fp32");
    }
    return Arrays.stream(values()).filter(p -> p.label.equals(n)).findFirst()
        .orElseThrow(() -> new InvalidInputException("unknown precision '" + name + "': expected "
            + Arrays.stream(values()).map(p -> p.label).collect(Collectors.joining(", "))));
  }

  /** What this request means on {@code device}: AUTO is fp16-mixed on CUDA and fp32 elsewhere. */
  public Precision on(Device device) {
    if (this != AUTO) {
      return this;
    }
    return device.isGpu() ? FP16_MIXED : FP32;
  }

  /** The data type the network computes in. */
  public DataType compute() {
    return compute;
  }

  public boolean scalesLoss() {
    return this == FP16_MIXED;
  }

  @Override
  public String toString() {
    return label;
  }
}
