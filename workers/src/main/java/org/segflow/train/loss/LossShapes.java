package org.segflow.train.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** Shape checks shared by the losses: logits (N, K, H, W) against labels (N, H, W). */
final class LossShapes {

  private LossShapes() {}

  static void check(NDArray logits, NDArray labels) {
    Shape l = logits.getShape();
    Shape t = labels.getShape();
    if (l.dimension() != 4 || t.dimension() != 3 || l.get(0) != t.get(0) || l.get(2) != t.get(1)
        || l.get(3) != t.get(2)) {
      throw new IllegalArgumentException("loss expects logits (N, K, H, W) and labels (N, H, W) of "
          + "the same N, H, W; got logits " + l + " and labels " + t);
    }
    if (l.get(1) < 2) {
      throw new IllegalArgumentException("softmax losses need at least 2 classes (background and "
          + "one foreground), got logits " + l);
    }
  }
}
