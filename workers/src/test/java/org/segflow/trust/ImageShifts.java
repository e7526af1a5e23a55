package org.segflow.trust;

import java.util.SplittableRandom;
import org.segflow.io.ImageArray;

/** Test fixture: the distribution shifts the trust scores must catch, on 8-bit RGB images. */
final class ImageShifts {

  private ImageShifts() {}

  static ImageArray darken(ImageArray a) {
    ImageArray out = copy(a);
    for (int i = 0; i < out.data().length; i++) {
      out.data()[i] = Math.round(out.data()[i] * 0.5f);
    }
    return out;
  }

  /** 5x5 box blur, edges clamped. */
  static ImageArray blur(ImageArray a) {
    ImageArray out = copy(a);
    for (int c = 0; c < a.channels(); c++) {
      for (int y = 0; y < a.height(); y++) {
        for (int x = 0; x < a.width(); x++) {
          float sum = 0;
          for (int dy = -2; dy <= 2; dy++) {
            for (int dx = -2; dx <= 2; dx++) {
              int yy = Math.min(a.height() - 1, Math.max(0, y + dy));
              int xx = Math.min(a.width() - 1, Math.max(0, x + dx));
              sum += a.get(c, yy, xx);
            }
          }
          out.set(c, y, x, Math.round(sum / 25));
        }
      }
    }
    return out;
  }

  static ImageArray invert(ImageArray a) {
    ImageArray out = copy(a);
    for (int i = 0; i < out.data().length; i++) {
      out.data()[i] = 255 - out.data()[i];
    }
    return out;
  }

  /** A scene that is no fundus: smooth colour gradients with blocks of texture over the whole frame. */
  static ImageArray nonFundus(ImageArray a) {
    SplittableRandom rnd = new SplittableRandom(Float.floatToIntBits(a.data()[a.data().length / 2]) + 31L);
    ImageArray out = ImageArray.zeros(3, a.height(), a.width());
    double phase = rnd.nextDouble() * 6;
    for (int y = 0; y < a.height(); y++) {
      for (int x = 0; x < a.width(); x++) {
        boolean block = ((x / 8) + (y / 8)) % 2 == 0;
        out.set(0, y, x, clamp(40 + 180.0 * y / a.height() + (block ? 30 : 0) + rnd.nextInt(20)));
        out.set(1, y, x, clamp(120 + 100 * Math.sin(phase + x / 9.0) + rnd.nextInt(20)));
        out.set(2, y, x, clamp(200 - 150.0 * x / a.width() + (block ? 0 : 25) + rnd.nextInt(20)));
      }
    }
    return out;
  }

  /** Bilinear resize by 1.5. */
  static ImageArray enlarge(ImageArray a) {
    int h = a.height() * 3 / 2;
    int w = a.width() * 3 / 2;
    ImageArray out = ImageArray.zeros(a.channels(), h, w);
    for (int c = 0; c < a.channels(); c++) {
      for (int y = 0; y < h; y++) {
        double sy = Math.min(a.height() - 1.0, y / 1.5);
        int y0 = (int) sy;
        int y1 = Math.min(a.height() - 1, y0 + 1);
        for (int x = 0; x < w; x++) {
          double sx = Math.min(a.width() - 1.0, x / 1.5);
          int x0 = (int) sx;
          int x1 = Math.min(a.width() - 1, x0 + 1);
          double top = a.get(c, y0, x0) * (1 - (sx - x0)) + a.get(c, y0, x1) * (sx - x0);
          double bottom = a.get(c, y1, x0) * (1 - (sx - x0)) + a.get(c, y1, x1) * (sx - x0);
          out.set(c, y, x, Math.round((float) (top * (1 - (sy - y0)) + bottom * (sy - y0))));
        }
      }
    }
    return out;
  }

  private static float clamp(double v) {
    return (float) Math.max(0, Math.min(255, Math.round(v)));
  }

  private static ImageArray copy(ImageArray a) {
    return new ImageArray(a.channels(), a.height(), a.width(), a.data().clone());
  }
}
