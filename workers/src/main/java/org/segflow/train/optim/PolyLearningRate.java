package org.segflow.train.optim;

/**
 * nnU-Net's PolyLRScheduler: lr_e = initial · (1 - e / numEpochs)^exponent, set at the start of
 * each (0-based) epoch e. nnU-Net: initial 0.01, exponent 0.9, 1000 epochs.
 */
public record PolyLearningRate(double initial, int numEpochs, double exponent) {

  public static final double NNUNET_INITIAL = 1e-2;
  public static final double NNUNET_EXPONENT = 0.9;

  public PolyLearningRate {
    if (!(initial > 0) || numEpochs < 1 || !(exponent > 0)) {
      throw new IllegalArgumentException("poly learning rate needs initial > 0, numEpochs >= 1 and "
          + "exponent > 0, got " + initial + ", " + numEpochs + ", " + exponent);
    }
  }

  public static PolyLearningRate nnUNet(int numEpochs) {
    return new PolyLearningRate(NNUNET_INITIAL, numEpochs, NNUNET_EXPONENT);
  }

  /** The learning rate for epoch {@code epoch} (0 .. numEpochs-1). */
  public double at(int epoch) {
    if (epoch < 0 || epoch >= numEpochs) {
      throw new IllegalArgumentException("epoch " + epoch + " outside 0.." + (numEpochs - 1));
    }
    return initial * Math.pow(1.0 - (double) epoch / numEpochs, exponent);
  }
}
