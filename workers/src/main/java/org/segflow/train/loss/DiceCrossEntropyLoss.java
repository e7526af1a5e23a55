package org.segflow.train.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;

/** nnU-Net's DC_and_CE_loss with weights 1 and 1: cross-entropy + soft Dice of one output. */
public final class DiceCrossEntropyLoss {

  private DiceCrossEntropyLoss() {}

  /** CE(logits, labels) + SoftDice(logits, labels); a scalar in the logits' manager. */
  public static NDArray compute(NDArray logits, NDArray labels, boolean batchDice) {
    NDArray loss;
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      loss = CrossEntropyLoss.compute(logits, labels)
          .add(SoftDiceLoss.compute(logits, labels, batchDice));
      NDScope.unregister(loss);
    }
    return loss;
  }
}
