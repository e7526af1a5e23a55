package org.segflow.net;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.segflow.InvalidInputException;

/**
 * The arithmetic of the network's passes in training and prediction. The weights and the optimizer
 * always stay in float32 (master weights); the reduced kinds cast each weight for the pass and the
 * outputs back to float32 for the loss and the softmax. {@code FP16_MIXED} also scales the loss (see
 * {@code train.optim.LossScale}) since float16 gradients underflow; bfloat16 has float32's range and
 * needs no scaling.
 */
public enum Precision {
  /**
   * Training: fp16-mixed on CUDA (what nnU-Net does there: autocast and a GradScaler); prediction:
   * fp32 on CUDA; both: bf16 on a CPU with native bfloat16 arithmetic, fp32 elsewhere. Engines then
   * keeps bf16 only for networks {@link BFloat16Check} finds this machine computes right.
   */
  AUTO("auto", DataType.FLOAT32),
  FP32("fp32", DataType.FLOAT32),
  BF16("bf16", DataType.BFLOAT16),
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
    return Arrays.stream(values()).filter(p -> p.label.equals(n)).findFirst()
        .orElseThrow(() -> new InvalidInputException("unknown precision '" + name + "': expected "
            + Arrays.stream(values()).map(p -> p.label).collect(Collectors.joining(", "))));
  }

  /** What this request means for training on {@code device} (see {@link #AUTO}). */
  public Precision on(Device device) {
    if (this != AUTO) {
      return this;
    }
    return device.isGpu() ? FP16_MIXED : cpuDefault(device);
  }

  /** What this request means for prediction on {@code device} (see {@link #AUTO}). */
  public Precision forInference(Device device) {
    return this != AUTO ? this : cpuDefault(device);
  }

  /** bf16 where the CPU has it natively: twice the convolution speed, the same Dice (see README). */
  private static Precision cpuDefault(Device device) {
    return Device.Type.CPU.equals(device.getDeviceType()) && HostCpu.current().hasNativeBFloat16()
        ? BF16 : FP32;
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
