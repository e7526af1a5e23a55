package org.segflow.predict;

import org.segflow.io.ImageArray;

/**
 * One case's result in the input geometry: the label map (row-major, postprocessed if chosen) and,
 * when asked for, the softmax probabilities (K, H, W) of the fold-averaged logits.
 */
public record CasePrediction(String caseId, int height, int width, int classes, short[] labels,
    ImageArray probabilities) {}
