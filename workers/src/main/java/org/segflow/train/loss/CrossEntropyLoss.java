package org.segflow.train.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;

/**
 * nnU-Net's RobustCrossEntropyLoss without an ignore label: multi-class cross-entropy of logits
 * against integer labels, averaged over all pixels of the batch.
 */
public final class CrossEntropyLoss {

  private CrossEntropyLoss() {}

  /**
   * @param logits (N, K, H, W) raw network outputs
   * @param labels (N, H, W) labels in 0..K-1 (any integer or float type; converted to int64).
   *     A label outside that range fails in the native gather.
   * @return a scalar in the logits' manager
   */
  public static NDArray compute(NDArray logits, NDArray labels) {
    LossShapes.check(logits, labels);
    NDArray loss;
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      // Always a copy in PyTorch's memory: gather keeps its index for the backward pass, and the
      // caller's labels may wrap a Java buffer (see Constants).
      NDArray index = labels.toType(DataType.INT64, true).expandDims(1);
      NDArray picked = logits.logSoftmax(1).gather(index, 1);
      loss = picked.mean().neg();
      NDScope.unregister(loss);
    }
    return loss;
  }
}
