package org.segflow.train.augment;

import java.util.random.RandomGenerator;

/** Multiplies each channel by its own factor ~ BGContrast(0.75, 1.25). */
public record MultiplicativeBrightness(BgContrast factor) implements Transform {

  public MultiplicativeBrightness() {
    this(new BgContrast(0.75, 1.25));
  }

  @Override
  public void apply(Sample sample, RandomGenerator rng) {
    float[] image = sample.image();
    int plane = sample.pixels();
    for (int c = 0; c < sample.channels(); c++) {
      float f = (float) factor.sample(rng);
      for (int i = c * plane, end = i + plane; i < end; i++) {
        image[i] *= f;
      }
    }
  }
}
