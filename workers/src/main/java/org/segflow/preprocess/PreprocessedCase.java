package org.segflow.preprocess;

import java.util.Map;
import org.segflow.io.ImageArray;

/**
 * A case after nnU-Net's preprocessing (crop to nonzero, normalization; no resampling for 2D PNG):
 * normalized float data (C, H, W), the segmentation of the same geometry with -1 outside the
 * nonzero region (null for unlabelled cases), and the class locations used for foreground
 * oversampling: label -> flattened pixel indices {@code y * width + x} (an absent class maps to an
 * empty array). {@code properties} is what export needs to undo the crop.
 */
public record PreprocessedCase(
    String caseId,
    ImageArray data,
    short[] seg,
    Map<Integer, int[]> classLocations,
    CaseProperties properties) {

  /**
   * Geometry bookkeeping, as nnU-Net's properties: shapes are (z, y, x) with z = 1, the bbox is
   * half-open [lo, hi) per axis.
   */
  public record CaseProperties(
      int[] shapeBeforeCropping,
      int[][] bboxUsedForCropping,
      int[] shapeAfterCroppingAndBeforeResampling,
      double[] spacing) {}
}
