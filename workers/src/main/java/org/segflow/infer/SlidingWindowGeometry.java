package org.segflow.infer;

import java.util.Arrays;

/**
 * Where nnU-Net's sliding window puts its tiles on one (H, W) image. An image smaller than the patch
 * is first padded with zeros up to the patch ({@code pad_nd_image}: floor of the difference before,
 * ceil after); then per axis {@code n = ceil((size - patch) / (patch * step)) + 1} tiles start at
 * {@code round(i * (size - patch) / (n - 1))}, rounding half to even as numpy does.
 */
public record SlidingWindowGeometry(
    int height, int width,
    int patchHeight, int patchWidth,
    int padTop, int padLeft,
    int paddedHeight, int paddedWidth,
    int[] tileYs, int[] tileXs) {

  public static SlidingWindowGeometry of(int height, int width, int patchHeight, int patchWidth,
      double stepSize) {
    if (height < 1 || width < 1 || patchHeight < 1 || patchWidth < 1) {
      throw new IllegalArgumentException("image " + height + "x" + width + " and patch "
          + patchHeight + "x" + patchWidth + " must be positive");
    }
    int paddedHeight = Math.max(height, patchHeight);
    int paddedWidth = Math.max(width, patchWidth);
    return new SlidingWindowGeometry(height, width, patchHeight, patchWidth,
        (paddedHeight - height) / 2, (paddedWidth - width) / 2, paddedHeight, paddedWidth,
        steps(paddedHeight, patchHeight, stepSize), steps(paddedWidth, patchWidth, stepSize));
  }

  /** nnU-Net's {@code compute_steps_for_sliding_window} for one axis of an (already padded) image. */
  public static int[] steps(int size, int patch, double stepSize) {
    if (!(stepSize > 0 && stepSize <= 1)) {
      throw new IllegalArgumentException("step size must be in (0, 1], got " + stepSize);
    }
    if (size < patch) {
      throw new IllegalArgumentException("image size " + size + " is smaller than the patch " + patch);
    }
    double targetStep = patch * stepSize;
    int n = (int) Math.ceil((size - patch) / targetStep) + 1;
    int[] steps = new int[n];
    if (n > 1) {
      double actualStep = (double) (size - patch) / (n - 1);
      for (int i = 0; i < n; i++) {
        steps[i] = (int) Math.rint(actualStep * i);
      }
    }
    return steps;
  }

  public int tileCount() {
    return tileYs.length * tileXs.length;
  }

  public boolean isPadded() {
    return paddedHeight != height || paddedWidth != width;
  }

  /** The (C, H, W) image zero-padded to (C, paddedHeight, paddedWidth); the input itself if no pad. */
  public float[] pad(float[] image, int channels) {
    checkLength(image, channels, height, width);
    if (!isPadded()) {
      return image;
    }
    float[] out = new float[channels * paddedHeight * paddedWidth];
    for (int c = 0; c < channels; c++) {
      for (int y = 0; y < height; y++) {
        System.arraycopy(image, (c * height + y) * width,
            out, (c * paddedHeight + y + padTop) * paddedWidth + padLeft, width);
      }
    }
    return out;
  }

  /** The (C, H, W) region of a (C, paddedHeight, paddedWidth) array that the image occupies. */
  public float[] unpad(float[] padded, int channels) {
    checkLength(padded, channels, paddedHeight, paddedWidth);
    if (!isPadded()) {
      return padded;
    }
    float[] out = new float[channels * height * width];
    for (int c = 0; c < channels; c++) {
      for (int y = 0; y < height; y++) {
        System.arraycopy(padded, (c * paddedHeight + y + padTop) * paddedWidth + padLeft,
            out, (c * height + y) * width, width);
      }
    }
    return out;
  }

  private static void checkLength(float[] a, int channels, int h, int w) {
    if (a.length != (long) channels * h * w) {
      throw new IllegalArgumentException("array length " + a.length + " != " + channels + "*" + h
          + "*" + w);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SlidingWindowGeometry g
        && g.height == height && g.width == width
        && g.patchHeight == patchHeight && g.patchWidth == patchWidth
        && g.padTop == padTop && g.padLeft == padLeft
        && g.paddedHeight == paddedHeight && g.paddedWidth == paddedWidth
        && Arrays.equals(g.tileYs, tileYs) && Arrays.equals(g.tileXs, tileXs);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * (31 * height + width) + Arrays.hashCode(tileYs)) + Arrays.hashCode(tileXs);
  }

  @Override
  public String toString() {
    return "SlidingWindowGeometry[" + height + "x" + width + " patch " + patchHeight + "x" + patchWidth
        + " padded " + paddedHeight + "x" + paddedWidth + " ys " + Arrays.toString(tileYs)
        + " xs " + Arrays.toString(tileXs) + "]";
  }
}
