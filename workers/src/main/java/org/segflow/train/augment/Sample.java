package org.segflow.train.augment;

import java.util.List;

/**
 * One training or validation patch as it travels through the augmentation pipeline: a float image
 * (C, h, w) channel-major and a single-channel label map (h, w) where -1 marks pixels outside the
 * image or outside the nonzero region. Spatial transforms change the geometry, so the arrays are
 * replaced rather than edited; intensity transforms edit {@link #image()} in place. The last
 * transform of a pipeline may attach the deep-supervision targets.
 */
public final class Sample {

  private final String caseId;
  private final int channels;
  private int height;
  private int width;
  private float[] image;
  private short[] seg;
  private List<SegTarget> targets = List.of();

  public Sample(String caseId, int channels, int height, int width, float[] image, short[] seg) {
    if (channels < 1 || height < 1 || width < 1) {
      throw new IllegalArgumentException(
          "sample " + caseId + ": bad shape " + channels + "x" + height + "x" + width);
    }
    this.caseId = caseId;
    this.channels = channels;
    replace(height, width, image, seg);
  }

  public String caseId() {
    return caseId;
  }

  public int channels() {
    return channels;
  }

  public int height() {
    return height;
  }

  public int width() {
    return width;
  }

  public int pixels() {
    return height * width;
  }

  /** The image, {@code image[c*h*w + y*w + x]}; intensity transforms modify it in place. */
  public float[] image() {
    return image;
  }

  /** The labels, {@code seg[y*w + x]}: -1 outside, 0 background, 1..K foreground. */
  public short[] seg() {
    return seg;
  }

  /** Deep-supervision targets, highest resolution first; empty until a pipeline attaches them. */
  public List<SegTarget> targets() {
    return targets;
  }

  /** Swaps in a new geometry, as produced by a spatial transform. */
  public void replace(int newHeight, int newWidth, float[] newImage, short[] newSeg) {
    if (newImage.length != (long) channels * newHeight * newWidth) {
      throw new IllegalArgumentException("sample " + caseId + ": image length " + newImage.length
          + " != " + channels + "*" + newHeight + "*" + newWidth);
    }
    if (newSeg.length != (long) newHeight * newWidth) {
      throw new IllegalArgumentException("sample " + caseId + ": seg length " + newSeg.length
          + " != " + newHeight + "*" + newWidth);
    }
    this.height = newHeight;
    this.width = newWidth;
    this.image = newImage;
    this.seg = newSeg;
  }

  public void setTargets(List<SegTarget> newTargets) {
    this.targets = List.copyOf(newTargets);
  }
}
