package org.segflow.train.augment;

/** A label map at one deep-supervision resolution, {@code labels[y*width + x]}. */
public record SegTarget(int height, int width, short[] labels) {

  public SegTarget {
    if (labels.length != (long) height * width) {
      throw new IllegalArgumentException(
          "target length " + labels.length + " != " + height + "*" + width);
    }
  }
}
