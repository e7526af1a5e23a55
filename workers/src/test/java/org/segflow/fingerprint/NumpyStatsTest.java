package org.segflow.fingerprint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Expected values printed by numpy 2.4 ({@code repr(np.percentile(..))}, {@code np.median}). */
class NumpyStatsTest {

  @Test
  void percentileInterpolatesLikeNumpy() {
    double[] a = {999, 5, 3, 2.5, 1.25, 7.1, 0.3};
    assertEquals(0.8700000000000001, NumpyStats.percentile(a, 10));
    assertEquals(3.0, NumpyStats.percentile(a, 50));
    assertEquals(2.55, NumpyStats.percentile(a, 35));
    assertEquals(106.28999999999964, NumpyStats.percentile(a, 85));
    double[] b = {0.1, 0.7, 0.2, 0.3};
    assertEquals(0.13, NumpyStats.percentile(b, 10));
    assertEquals(0.5800000000000001, NumpyStats.percentile(b, 90));
    assertEquals(0.7, NumpyStats.percentile(b, 100));
  }

  @Test
  void medianAveragesWhilePercentile50Lerps() {
    // the two differ in the last bit for this pair, as in numpy
    double[] pair = {7.583104545487561, 1029.423417696851};
    assertEquals(518.5032611211692, NumpyStats.median(pair));
    assertEquals(518.5032611211693, NumpyStats.percentile(pair, 50));
    assertEquals(3.0, NumpyStats.median(new double[] {999, 5, 3, 2.5, 1.25, 7.1, 0.3}));
  }
}
