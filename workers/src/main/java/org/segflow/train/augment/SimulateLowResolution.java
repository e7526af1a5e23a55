package org.segflow.train.augment;

import java.util.random.RandomGenerator;

/**
 * Each channel with probability 0.5: one s ~ U(0.5, 1) for both axes, nearest-exact downsampling
 * to round(shape * s) (Python's half-to-even round, s as float32 like the upstream tensor), then
 * bilinear upsampling back to the original shape.
 */
public final class SimulateLowResolution implements Transform {

  public static final double P_PER_CHANNEL = 0.5;
  public static final double SCALE_LOW = 0.5;
  public static final double SCALE_HIGH = 1.0;

  @Override
  public void apply(Sample sample, RandomGenerator rng) {
    int h = sample.height();
    int w = sample.width();
    int plane = h * w;
    float[] image = sample.image();
    for (int c = 0; c < sample.channels(); c++) {
      if (rng.nextDouble() < P_PER_CHANNEL) {
        float s = (float) Uniform.draw(rng, SCALE_LOW, SCALE_HIGH);
        degradePlane(image, c * plane, h, w, s);
      }
    }
  }

  /** Down to round(shape * s) by nearest-exact and back up bilinearly, in place. */
  static void degradePlane(float[] image, int offset, int h, int w, float s) {
    int nh = Math.max(1, (int) Math.rint(h * (double) s));
    int nw = Math.max(1, (int) Math.rint(w * (double) s));
    float[] plane = new float[h * w];
    System.arraycopy(image, offset, plane, 0, h * w);
    float[] low = Resize.nearestExact(plane, h, w, nh, nw);
    float[] back = Resize.bilinear(low, nh, nw, h, w);
    System.arraycopy(back, 0, image, offset, h * w);
  }
}
