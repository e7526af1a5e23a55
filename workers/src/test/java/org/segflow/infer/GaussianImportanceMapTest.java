package org.segflow.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.segflow.io.Float16;

/**
 * Reference values came from scipy 1.17.1 / numpy 2.4: {@code gaussian_filter} of a centred delta
 * with sigma = patch / 8, mode constant, divided by its max, times 10, cast float64 -> float32 ->
 * float16 (as torch casts), zeros replaced by the min nonzero value. The checksums are the float64
 * sums of all float16 values, which are exact and so pin every value.
 */
class GaussianImportanceMapTest {

  private static int half(float[] map, int width, int y, int x) {
    return Float16.fromFloat(map[y * width + x]) & 0xffff;
  }

  private static double checksum(float[] map) {
    double s = 0;
    for (float v : map) {
      s += v;
    }
    return s;
  }

  private static float min(float[] map) {
    float m = Float.POSITIVE_INFINITY;
    for (float v : map) {
      m = Math.min(m, v);
    }
    return m;
  }

  @Test
  void kernelMatchesScipyBitForBit() {
    double[] k = GaussianImportanceMap.kernel1d(2.0, 8);
    assertEquals(6.691628957263553e-05, k[0], 0.0);
    assertEquals(0.0004363490205067883, k[1], 0.0);
    assertEquals(0.002215963172596555, k[2], 0.0);
    assertEquals(0.199474647864745, k[8], 0.0);
    double[] big = GaussianImportanceMap.kernel1d(64.0, 256);
    assertEquals(0.0062338550993200565, big[256], 0.0);
    assertEquals(2.0912254135813803e-06, big[0], 0.0);
    assertEquals(8, GaussianImportanceMap.radius(2.0));
    assertEquals(256, GaussianImportanceMap.radius(64.0));
  }

  @Test
  void patch16MatchesScipy() {
    float[] g = GaussianImportanceMap.compute(16, 16);
    assertEquals(0x4900, half(g, 16, 8, 8)); // centre = 10
    assertEquals(0x0013, half(g, 16, 0, 0)); // corner
    assertEquals(0x1adf, half(g, 16, 0, 8)); // top edge, centre column
    assertEquals(0x1adf, half(g, 16, 8, 0));
    assertEquals(0x0323, half(g, 16, 15, 15));
    assertEquals(0x3091, half(g, 16, 3, 5));
    assertEquals(1.1324882507324219e-06f, min(g));
    assertEquals(251.2990054488182, checksum(g), 0.0);
  }

  @Test
  void patch32AndNonSquareMatchScipy() {
    float[] g = GaussianImportanceMap.compute(32, 32);
    assertEquals(0x4900, half(g, 32, 16, 16));
    assertEquals(0x0083, half(g, 32, 31, 31));
    assertEquals(0x14c0, half(g, 32, 3, 5));
    assertEquals(1005.1642851233482, checksum(g), 0.0);

    float[] odd = GaussianImportanceMap.compute(15, 9);
    assertEquals(0x4900, half(odd, 9, 7, 4));
    assertEquals(0x011c, half(odd, 9, 0, 0));
    assertEquals(0x249a, half(odd, 9, 7, 0));
    assertEquals(0x3989, half(odd, 9, 3, 5));
    assertEquals(132.52521014213562, checksum(odd), 0.0);

    assertEquals(235.5878854393959, checksum(GaussianImportanceMap.compute(20, 12)), 0.0);
  }

  @Test
  void drivePatchMatchesScipy() {
    float[] g = GaussianImportanceMap.compute(512, 512);
    assertEquals(0x4900, half(g, 512, 256, 256));
    assertEquals(0x0013, half(g, 512, 0, 0));
    assertEquals(0x1adf, half(g, 512, 0, 256));
    assertEquals(0x0015, half(g, 512, 511, 511));
    assertEquals(0x001f, half(g, 512, 3, 5));
    assertEquals(257325.67393130064, checksum(g), 0.0);
  }
}
