package org.segflow.train.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;

/**
 * nnU-Net's DeepSupervisionWrapper around DC_and_CE_loss: L = Σ_i w_i (CE_i + Dice_i)
 * over the network outputs, highest resolution first, with w_i = 1/2^i, the last weight set to 0,
 * normalised to sum 1; zero-weight terms are not computed.
 *
 * <p>The caller supplies one label map per output, already downsampled to that output's size
 * (nnU-Net does this in the data pipeline; {@link DeepSupervisionTargets} does it the same way).
 */
public final class DeepSupervisionLoss {

  private final double[] weights;
  private final boolean batchDice;

  /**
   * @param numOutputs number of network outputs the loss will receive (nStages - 1 with deep
   *     supervision, 1 without)
   * @param batchDice nnU-Net's configuration flag; true for 2D plans
   */
  public DeepSupervisionLoss(int numOutputs, boolean batchDice) {
    this.weights = weights(numOutputs);
    this.batchDice = batchDice;
  }

  /**
   * nnU-Net's deep-supervision weights: 1/2^i, last set to 0 (when there is more than one output),
   * normalised. A single output gets weight 1.
   */
  public static double[] weights(int numOutputs) {
    if (numOutputs < 1) {
      throw new IllegalArgumentException("deep supervision needs at least one output, got "
          + numOutputs);
    }
    double[] w = new double[numOutputs];
    double sum = 0;
    for (int i = 0; i < numOutputs; i++) {
      w[i] = i == numOutputs - 1 && numOutputs > 1 ? 0 : Math.pow(0.5, i);
      sum += w[i];
    }
    for (int i = 0; i < numOutputs; i++) {
      w[i] /= sum;
    }
    return w;
  }

  public double[] weights() {
    return weights.clone();
  }

  /**
   * @param outputs logits (N, K, H_i, W_i), highest resolution first, as the network returns them
   * @param targets labels (N, H_i, W_i) per output, values 0..K-1
   * @return the weighted loss, a scalar in the first output's manager
   */
  public NDArray compute(NDList outputs, NDList targets) {
    if (outputs.size() != weights.length || targets.size() != weights.length) {
      throw new IllegalArgumentException("deep supervision loss built for " + weights.length
          + " outputs got " + outputs.size() + " outputs and " + targets.size() + " targets");
    }
    NDArray total = null;
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      for (int i = 0; i < weights.length; i++) {
        if (weights[i] == 0) {
          continue;
        }
        NDArray term = DiceCrossEntropyLoss.compute(outputs.get(i), targets.get(i), batchDice)
            .mul(Constants.scalar(outputs.get(i), (float) weights[i]));
        total = total == null ? term : total.add(term);
      }
      NDScope.unregister(total);
    }
    return total;
  }
}
