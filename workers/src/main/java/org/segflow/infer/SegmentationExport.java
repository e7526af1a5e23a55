package org.segflow.infer;

import java.util.Arrays;
import org.segflow.io.ImageArray;
import org.segflow.preprocess.PreprocessedCase.CaseProperties;

/**
 * nnU-Net's export of a 2D case's logits: softmax, argmax, then the crop is undone. The resampling
 * step is the identity for PNG data (spacing 1, 1), so the logits must already have the shape after
 * cropping; anything else is refused rather than silently misplaced.
 */
public final class SegmentationExport {

  private SegmentationExport() {}

  /** The (H, W) label map of the original image from the cropped region's (K, h, w) logits. */
  public static short[] labels(ImageArray logits, CaseProperties properties) {
    checkCroppedShape(logits, properties);
    return CropReverter.labels(Argmax.labelsFromLogits(logits), logits.height(), logits.width(),
        properties.shapeBeforeCropping(), properties.bboxUsedForCropping());
  }

  /** The (K, H, W) probabilities of the original image (background certain outside the crop). */
  public static ImageArray probabilities(ImageArray logits, CaseProperties properties) {
    checkCroppedShape(logits, properties);
    int[] shape = properties.shapeBeforeCropping();
    float[] p = CropReverter.probabilities(Softmax.probabilities(logits).data(), logits.channels(),
        logits.height(), logits.width(), shape, properties.bboxUsedForCropping());
    return new ImageArray(logits.channels(), shape[shape.length - 2], shape[shape.length - 1], p);
  }

  private static void checkCroppedShape(ImageArray logits, CaseProperties properties) {
    int[] s = properties.shapeAfterCroppingAndBeforeResampling();
    if (s[s.length - 2] != logits.height() || s[s.length - 1] != logits.width()) {
      throw new IllegalArgumentException("logits are " + logits.height() + "x" + logits.width()
          + " but the shape after cropping is " + Arrays.toString(s)
          + "; resampled configurations are not supported by this export");
    }
  }
}
