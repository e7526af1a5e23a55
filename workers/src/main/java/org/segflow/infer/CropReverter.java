package org.segflow.infer;

import java.util.Arrays;

/**
 * Undoes preprocessing's crop to the nonzero region: the cropped prediction goes back into an image of
 * the pre-crop shape at {@code bbox_used_for_cropping}. Outside the box, labels are 0 (background)
 * and probabilities are those of certain background (1 for class 0, 0 otherwise), as nnU-Net exports.
 * Shapes are (z, y, x) with z = 1, or (y, x); the box is half-open [lo, hi) per axis.
 */
public final class CropReverter {

  private CropReverter() {}

  /** A (H, W) label map of the pre-crop shape with {@code cropped} (h, w) inserted at the box. */
  public static short[] labels(short[] cropped, int croppedHeight, int croppedWidth,
      int[] shapeBeforeCropping, int[][] bbox) {
    Box box = Box.of(croppedHeight, croppedWidth, shapeBeforeCropping, bbox);
    if (cropped.length != croppedHeight * croppedWidth) {
      throw new IllegalArgumentException("label map length " + cropped.length + " != "
          + croppedHeight + "*" + croppedWidth);
    }
    short[] out = new short[box.height * box.width];
    for (int y = 0; y < croppedHeight; y++) {
      System.arraycopy(cropped, y * croppedWidth, out, (box.y0 + y) * box.width + box.x0, croppedWidth);
    }
    return out;
  }

  /** (K, H, W) probabilities of the pre-crop shape; outside the box class 0 has probability 1. */
  public static float[] probabilities(float[] cropped, int classes, int croppedHeight,
      int croppedWidth, int[] shapeBeforeCropping, int[][] bbox) {
    Box box = Box.of(croppedHeight, croppedWidth, shapeBeforeCropping, bbox);
    Softmax.checkShape(cropped, classes, croppedHeight * croppedWidth);
    int plane = box.height * box.width;
    float[] out = new float[classes * plane];
    Arrays.fill(out, 0, plane, 1f);
    for (int k = 0; k < classes; k++) {
      for (int y = 0; y < croppedHeight; y++) {
        System.arraycopy(cropped, (k * croppedHeight + y) * croppedWidth,
            out, k * plane + (box.y0 + y) * box.width + box.x0, croppedWidth);
      }
    }
    return out;
  }

  private record Box(int height, int width, int y0, int x0) {

    static Box of(int croppedHeight, int croppedWidth, int[] shape, int[][] bbox) {
      if (shape.length != bbox.length || (shape.length != 2 && shape.length != 3)) {
        throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " and bbox "
            + Arrays.deepToString(bbox) + " must both be (z, y, x) or (y, x)");
      }
      int axis = shape.length - 2;
      if (shape.length == 3 && (shape[0] != 1 || bbox[0][0] != 0 || bbox[0][1] != 1)) {
        throw new IllegalArgumentException("2D data needs z = 1 and a z box of [0, 1), got shape "
            + Arrays.toString(shape) + " bbox " + Arrays.deepToString(bbox));
      }
      int[] ys = bbox[axis];
      int[] xs = bbox[axis + 1];
      if (ys[0] < 0 || xs[0] < 0 || ys[1] > shape[axis] || xs[1] > shape[axis + 1]
          || ys[1] - ys[0] != croppedHeight || xs[1] - xs[0] != croppedWidth) {
        throw new IllegalArgumentException("bbox " + Arrays.deepToString(bbox) + " does not place a "
            + croppedHeight + "x" + croppedWidth + " crop inside shape " + Arrays.toString(shape));
      }
      return new Box(shape[axis], shape[axis + 1], ys[0], xs[0]);
    }
  }
}
