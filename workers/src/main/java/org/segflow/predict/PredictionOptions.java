package org.segflow.predict;

import org.segflow.InvalidInputException;
import org.segflow.infer.SlidingWindowOptions;

/**
 * How to predict: sliding-window step (fraction of the patch), mirroring test-time augmentation,
 * whether to save probabilities (.npz), to skip cases already written, and to draw region borders
 * on the overlay.
 */
public record PredictionOptions(double stepSize, boolean tta, boolean saveProbabilities,
    boolean continuePrediction, boolean overlayOutline) {

  public PredictionOptions {
    if (!(stepSize > 0 && stepSize <= 1)) {
      throw new InvalidInputException("--step-size must be in (0, 1], got " + stepSize);
    }
  }

  /** nnU-Net's defaults: step 0.5, TTA on, no probabilities, overwrite. */
  public static PredictionOptions defaults() {
    return new PredictionOptions(SlidingWindowOptions.DEFAULT_STEP_SIZE, true, false, false, false);
  }

  public PredictionOptions withTta(boolean on) {
    return new PredictionOptions(stepSize, on, saveProbabilities, continuePrediction, overlayOutline);
  }

  public PredictionOptions withSaveProbabilities(boolean on) {
    return new PredictionOptions(stepSize, tta, on, continuePrediction, overlayOutline);
  }

  public PredictionOptions withContinuePrediction(boolean on) {
    return new PredictionOptions(stepSize, tta, saveProbabilities, on, overlayOutline);
  }

  public PredictionOptions withStepSize(double step) {
    return new PredictionOptions(step, tta, saveProbabilities, continuePrediction, overlayOutline);
  }
}
