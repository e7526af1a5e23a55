package org.segflow.fingerprint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.segflow.io.ImageArray;
import org.segflow.preprocess.normalization.IntensityProperties;

class ForegroundSamplerTest {

  /**
   * Non-integer values (channel 0) and integers spanning more than the direct table (channel 1)
   * take the sorting path. Reference: numpy 2.4, RandomState(1234).choice(fg, 1000, replace=True)
   * for channel 0 then channel 1, statistics in float64.
   */
  @Test
  void sortingPathMatchesNumpyAndSharesTheGeneratorAcrossChannels() {
    int n = 42;
    float[] data = new float[2 * n];
    short[] seg = new short[n];
    for (int p = 0; p < n; p++) {
      data[p] = (float) (((p * 37) % 23) * 0.37 - 2);
      data[n + p] = ((p * 37 + 11) % 23) * 100000f;
      seg[p] = (short) (p % 3 != 0 ? 1 : 0);
    }
    IntensityHistogram[] h = ForegroundSampler.sample(new ImageArray(2, 6, 7, data), seg, 1000);
    assertEquals(1000, h[0].total());
    assertEquals(22, h[0].distinctValues());
    IntensityProperties c0 = h[0].properties();
    assertEquals(1.8676100180745125, c0.mean(), 1e-14);
    assertEquals(2.455634881156985, c0.std(), 1e-14);
    assertEquals(-2.0, c0.min(), 0.0);
    assertEquals(6.139999866485596, c0.max(), 0.0);
    assertEquals(1.7000000476837158, c0.median(), 0.0);
    IntensityProperties c1 = h[1].properties();
    assertEquals(1092100.0, c1.mean(), 1e-8);
    assertEquals(663285.451370675, c1.std(), 1e-8);
    assertEquals(1100000.0, c1.median(), 0.0);
    assertEquals(2200000.0, c1.percentile995(), 0.0);
  }

  @Test
  void noForegroundDrawsNothing() {
    IntensityHistogram[] h = ForegroundSampler.sample(ImageArray.zeros(3, 2, 2), new short[4], 50);
    assertEquals(3, h.length);
    assertEquals(0, h[2].total());
  }
}
