package org.segflow.train.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;

/**
 * The hard counts behind nnU-Net's validation pseudo Dice: argmax of the
 * highest-resolution logits, one-hot, tp/fp/fn per foreground class summed over batch and pixels.
 */
public final class PseudoDice {

  private PseudoDice() {}

  /**
   * @param logits (N, K, H, W) highest-resolution network output
   * @param labels (N, H, W) labels in 0..K-1
   */
  public static ClassCounts counts(NDArray logits, NDArray labels) {
    LossShapes.check(logits, labels);
    long classes = logits.getShape().get(1);
    NDManager manager = logits.getManager();
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDArray foreground = manager.arange(1, (int) classes, 1, DataType.INT64)
          .reshape(1, classes - 1, 1, 1);
      NDArray predicted = logits.argMax(1).expandDims(1).eq(foreground);
      NDArray truth = labels.toType(DataType.INT64, false).expandDims(1).eq(foreground);
      int[] axes = {0, 2, 3};
      long[] tp = toLongs(predicted.logicalAnd(truth).sum(axes));
      long[] predictedCount = toLongs(predicted.sum(axes));
      long[] truthCount = toLongs(truth.sum(axes));
      long[] fp = new long[tp.length];
      long[] fn = new long[tp.length];
      for (int c = 0; c < tp.length; c++) {
        fp[c] = predictedCount[c] - tp[c];
        fn[c] = truthCount[c] - tp[c];
      }
      return new ClassCounts(tp, fp, fn);
    }
  }

  private static long[] toLongs(NDArray counts) {
    return counts.toType(DataType.INT64, false).toLongArray();
  }
}
