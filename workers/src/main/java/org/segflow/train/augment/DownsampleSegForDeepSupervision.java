package org.segflow.train.augment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Attaches one target per deep-supervision output: the labels resized by nearest-exact to
 * {@code round(shape * scale)} (half-to-even), or the labels themselves for scale 1.
 */
public final class DownsampleSegForDeepSupervision implements Transform {

  private final double[][] scales;

  /** @param scales per output, the (y, x) scale, highest resolution first */
  public DownsampleSegForDeepSupervision(double[][] scales) {
    if (scales.length == 0) {
      throw new IllegalArgumentException("need at least one deep-supervision scale");
    }
    for (double[] s : scales) {
      if (s.length != 2 || !(s[0] > 0) || !(s[1] > 0)) {
        throw new IllegalArgumentException("each scale must be a positive (y, x) pair: " + Arrays.toString(s));
      }
    }
    this.scales = Arrays.stream(scales).map(double[]::clone).toArray(double[][]::new);
  }

  /** The output shape (h, w) for an input shape at one scale. */
  public static int[] shapeAt(int height, int width, double[] scale) {
    return new int[] {(int) Math.rint(height * scale[0]), (int) Math.rint(width * scale[1])};
  }

  @Override
  public void apply(Sample sample, RandomGenerator rng) {
    int h = sample.height();
    int w = sample.width();
    List<SegTarget> targets = new ArrayList<>(scales.length);
    for (double[] s : scales) {
      if (s[0] == 1 && s[1] == 1) {
        targets.add(new SegTarget(h, w, sample.seg()));
      } else {
        int[] shape = shapeAt(h, w, s);
        targets.add(new SegTarget(shape[0], shape[1], Resize.nearestExact(sample.seg(), h, w, shape[0], shape[1])));
      }
    }
    sample.setTargets(targets);
  }
}
