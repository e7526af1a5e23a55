package org.segflow.predict;

import org.segflow.InvalidInputException;
import org.segflow.infer.SlidingWindowOptions;

/**
 * How to predict: sliding-window step (fraction of the patch), mirroring test-time augmentation,
 * whether to save probabilities (.npz), to skip cases already written, to draw region borders on the
 * overlay, and how many tiles (mirrored copies included) go to the network per call. Start from
 * {@link #defaults()} and change what differs.
 */
public record PredictionOptions(double stepSize, boolean tta, boolean saveProbabilities,
    boolean continuePrediction, boolean overlayOutline, int tilesPerCall) {

  public PredictionOptions {
    if (!(stepSize > 0 && stepSize <= 1)) {
      throw new InvalidInputException("--step-size must be in (0, 1], got " + stepSize);
    }
    if (tilesPerCall < 1) {
      throw new InvalidInputException("--tiles-per-call must be at least 1, got " + tilesPerCall);
    }
  }

  /** nnU-Net's defaults: step 0.5, TTA on, no probabilities, overwrite, one tile per network call. */
  public static PredictionOptions defaults() {
    SlidingWindowOptions sw = SlidingWindowOptions.defaults();
    return new PredictionOptions(sw.stepSize(), true, false, false, false, sw.tilesPerCall());
  }

  public PredictionOptions withTta(boolean on) {
    return new PredictionOptions(stepSize, on, saveProbabilities, continuePrediction, overlayOutline, tilesPerCall);
  }

  public PredictionOptions withSaveProbabilities(boolean on) {
    return new PredictionOptions(stepSize, tta, on, continuePrediction, overlayOutline, tilesPerCall);
  }

  public PredictionOptions withContinuePrediction(boolean on) {
    return new PredictionOptions(stepSize, tta, saveProbabilities, on, overlayOutline, tilesPerCall);
  }

  public PredictionOptions withOverlayOutline(boolean on) {
    return new PredictionOptions(stepSize, tta, saveProbabilities, continuePrediction, on, tilesPerCall);
  }

  public PredictionOptions withStepSize(double step) {
    return new PredictionOptions(step, tta, saveProbabilities, continuePrediction, overlayOutline, tilesPerCall);
  }

  public PredictionOptions withTilesPerCall(int tiles) {
    return new PredictionOptions(stepSize, tta, saveProbabilities, continuePrediction, overlayOutline, tiles);
  }
}
