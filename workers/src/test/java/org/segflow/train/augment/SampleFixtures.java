package org.segflow.train.augment;

import java.util.SplittableRandom;

/** Small samples for transform tests. */
final class SampleFixtures {

  private SampleFixtures() {}

  /** Random N(0,1) image; labels -1 in the first row, 1 in a central block, 2 in one corner, else 0. */
  static Sample random(int channels, int h, int w, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[] image = new float[channels * h * w];
    for (int i = 0; i < image.length; i++) {
      image[i] = (float) rng.nextGaussian();
    }
    short[] seg = new short[h * w];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        short l = 0;
        if (y == 0) {
          l = -1;
        } else if (y >= h / 3 && y < 2 * h / 3 && x >= w / 3 && x < 2 * w / 3) {
          l = 1;
        } else if (y > h - 4 && x > w - 4) {
          l = 2;
        }
        seg[y * w + x] = l;
      }
    }
    return new Sample("fixture", channels, h, w, image, seg);
  }

  static Sample constant(int channels, int h, int w, float value) {
    float[] image = new float[channels * h * w];
    java.util.Arrays.fill(image, value);
    return new Sample("constant", channels, h, w, image, new short[h * w]);
  }

  static Sample copy(Sample s) {
    Sample c = new Sample(s.caseId(), s.channels(), s.height(), s.width(), s.image().clone(), s.seg().clone());
    c.setTargets(s.targets());
    return c;
  }
}
