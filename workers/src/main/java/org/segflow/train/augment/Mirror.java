package org.segflow.train.augment;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/** Flips image and labels along each allowed axis (0 = y, 1 = x) independently with p 0.5. */
public final class Mirror implements Transform {

  private final int[] axes;

  public Mirror(int... axes) {
    for (int a : axes) {
      if (a != 0 && a != 1) {
        throw new IllegalArgumentException("2D mirror axes must be 0 (y) or 1 (x): " + Arrays.toString(axes));
      }
    }
    this.axes = axes.clone();
  }

  public int[] axes() {
    return axes.clone();
  }

  @Override
  public void apply(Sample sample, RandomGenerator rng) {
    for (int axis : axes) {
      if (rng.nextDouble() < 0.5) {
        flip(sample, axis);
      }
    }
  }

  static void flip(Sample s, int axis) {
    int h = s.height();
    int w = s.width();
    float[] image = s.image();
    for (int c = 0; c < s.channels(); c++) {
      int base = c * h * w;
      if (axis == 0) {
        flipRows(image, base, h, w);
      } else {
        flipColumns(image, base, h, w);
      }
    }
    short[] seg = s.seg();
    if (axis == 0) {
      for (int top = 0, bottom = h - 1; top < bottom; top++, bottom--) {
        for (int x = 0; x < w; x++) {
          short t = seg[top * w + x];
          seg[top * w + x] = seg[bottom * w + x];
          seg[bottom * w + x] = t;
        }
      }
    } else {
      for (int y = 0; y < h; y++) {
        for (int l = y * w, r = y * w + w - 1; l < r; l++, r--) {
          short t = seg[l];
          seg[l] = seg[r];
          seg[r] = t;
        }
      }
    }
  }

  private static void flipRows(float[] a, int base, int h, int w) {
    for (int top = 0, bottom = h - 1; top < bottom; top++, bottom--) {
      for (int x = 0; x < w; x++) {
        int i = base + top * w + x;
        int j = base + bottom * w + x;
        float t = a[i];
        a[i] = a[j];
        a[j] = t;
      }
    }
  }

  private static void flipColumns(float[] a, int base, int h, int w) {
    for (int y = 0; y < h; y++) {
      for (int l = base + y * w, r = base + y * w + w - 1; l < r; l++, r--) {
        float t = a[l];
        a[l] = a[r];
        a[r] = t;
      }
    }
  }
}
