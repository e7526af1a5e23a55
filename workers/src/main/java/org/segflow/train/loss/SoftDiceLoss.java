package org.segflow.train.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;

/**
 * nnU-Net's MemoryEfficientSoftDiceLoss as configured for softmax training: p = softmax(logits),
 * background dropped, per foreground class c with I = Σ p·y, P = Σ p, G = Σ y,
 * dc = (2I + smooth) / max(G + P + smooth, 1e-8), loss = -mean_c(dc). With batch dice (nnU-Net 2D)
 * the sums run over the batch and spatial axes, else over the spatial axes per image and the mean
 * is over images and classes. The loss is therefore negative, -1 at best.
 */
public final class SoftDiceLoss {

  /** nnU-Net's smoothing term for the Dice in DC_and_CE_loss. */
  public static final float SMOOTH = 1e-5f;

  private SoftDiceLoss() {}

  /**
   * @param logits (N, K, H, W) raw network outputs, K >= 2
   * @param labels (N, H, W) labels in 0..K-1 (any numeric type)
   * @return a scalar in the logits' manager
   */
  public static NDArray compute(NDArray logits, NDArray labels, boolean batchDice) {
    LossShapes.check(logits, labels);
    long classes = logits.getShape().get(1);
    NDManager manager = logits.getManager();
    NDArray loss;
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDArray probabilities = logits.softmax(1).get(new NDIndex(":, 1:"));
      NDArray foreground = manager.arange(1, (int) classes, 1, DataType.INT64)
          .reshape(1, classes - 1, 1, 1);
      // One-hot of the foreground classes, (N, K-1, H, W), built by broadcasting.
      NDArray oneHot = labels.toType(DataType.INT64, false).expandDims(1).eq(foreground)
          .toType(logits.getDataType(), false);
      int[] axes = batchDice ? new int[] {0, 2, 3} : new int[] {2, 3};
      NDArray intersection = probabilities.mul(oneHot).sum(axes);
      NDArray predicted = probabilities.sum(axes);
      NDArray truth = oneHot.sum(axes);
      NDArray smooth = Constants.scalar(logits, SMOOTH);
      NDArray denominator = truth.add(predicted).add(smooth)
          .maximum(Constants.scalar(logits, 1e-8f));
      NDArray dice = intersection.mul(Constants.scalar(logits, 2f)).add(smooth).div(denominator);
      loss = dice.mean().neg();
      NDScope.unregister(loss);
    }
    return loss;
  }
}
