package org.segflow.train.data;

import java.util.List;

/**
 * A ready batch: images (B, C, H, W) and, per deep-supervision output (highest resolution first),
 * labels (B, 1, h, w), both contiguous row-major, the case each sample came from, and how long the
 * consumer waited for this batch (0 unless it came through a {@link BatchProducer}).
 */
public record Batch(
    int batchSize,
    int channels,
    int height,
    int width,
    float[] images,
    List<Target> targets,
    List<String> caseIds,
    long waitNanos) {

  /** Labels of all samples at one resolution, {@code labels[((b * height) + y) * width + x]}. */
  public record Target(int height, int width, short[] labels) {

    /** The labels widened to int, e.g. for an int32 NDArray. */
    public int[] toIntArray() {
      int[] out = new int[labels.length];
      for (int i = 0; i < labels.length; i++) {
        out[i] = labels[i];
      }
      return out;
    }
  }

  public Batch {
    if (images.length != (long) batchSize * channels * height * width) {
      throw new IllegalArgumentException("images length " + images.length + " != "
          + batchSize + "*" + channels + "*" + height + "*" + width);
    }
    for (Target t : targets) {
      if (t.labels().length != (long) batchSize * t.height() * t.width()) {
        throw new IllegalArgumentException("target length " + t.labels().length + " != "
            + batchSize + "*" + t.height() + "*" + t.width());
      }
    }
    if (caseIds.size() != batchSize) {
      throw new IllegalArgumentException(caseIds.size() + " case ids for a batch of " + batchSize);
    }
    targets = List.copyOf(targets);
    caseIds = List.copyOf(caseIds);
  }

  /** (B, C, H, W), the shape of {@link #images()}. */
  public long[] imageShape() {
    return new long[] {batchSize, channels, height, width};
  }

  /** (B, 1, h, w), the shape of target {@code i}. */
  public long[] targetShape(int i) {
    Target t = targets.get(i);
    return new long[] {batchSize, 1, t.height(), t.width()};
  }

  public Batch withWaitNanos(long nanos) {
    return new Batch(batchSize, channels, height, width, images, targets, caseIds, nanos);
  }
}
