package org.segflow.sample;

import java.util.SplittableRandom;

/**
 * Smooth fractal noise (a sum of octaves of random lattice values interpolated with the cubic
 * B-spline), evaluated one image row at a time. Used for the choroid's mottled texture and for
 * slow variations of illumination. Values are roughly in [-1, 1] with a standard deviation near
 * 0.3.
 */
final class ValueNoise {

  private final int width;
  private final int octaves;
  private final double[] cell;
  private final float[] amplitude;
  private final int[] cols;
  private final float[][] lattice;
  // per octave and column: lattice column of the first tap and the four B-spline weights
  private final int[][] xBase;
  private final float[][] xWeights;
  private final float[] column;

  /**
   * @param wavelength lattice spacing of the coarsest octave, in pixels
   * @param gain amplitude ratio between successive octaves (each halves the wavelength)
   */
  ValueNoise(int height, int width, double wavelength, int octaves, double gain, SplittableRandom rnd) {
    this.width = width;
    this.octaves = octaves;
    this.cell = new double[octaves];
    this.amplitude = new float[octaves];
    this.cols = new int[octaves];
    this.lattice = new float[octaves][];
    this.xBase = new int[octaves][width];
    this.xWeights = new float[octaves][4 * width];
    double total = 0;
    double a = 1;
    for (int o = 0; o < octaves; o++) {
      total += a;
      a *= gain;
    }
    a = 1;
    int maxCols = 0;
    for (int o = 0; o < octaves; o++) {
      cell[o] = Math.max(1.5, wavelength / (1 << o));
      amplitude[o] = (float) (a / total * 2.2);
      a *= gain;
      cols[o] = (int) Math.ceil(width / cell[o]) + 4;
      int rows = (int) Math.ceil(height / cell[o]) + 4;
      maxCols = Math.max(maxCols, cols[o]);
      float[] l = new float[cols[o] * rows];
      for (int i = 0; i < l.length; i++) {
        l[i] = (float) (2 * Randoms.unit(rnd) - 1);
      }
      lattice[o] = l;
      for (int x = 0; x < width; x++) {
        double p = x / cell[o] + 1.0;
        int i = (int) Math.floor(p);
        xBase[o][x] = i - 1;
        bspline((float) (p - i), xWeights[o], 4 * x);
      }
    }
    this.column = new float[maxCols];
  }

  /** Fills {@code out[0..width)} with the noise of image row {@code y}. Not thread-safe. */
  void row(int y, float[] out) {
    java.util.Arrays.fill(out, 0, width, 0f);
    float[] wy = new float[4];
    for (int o = 0; o < octaves; o++) {
      double p = y / cell[o] + 1.0;
      int j = (int) Math.floor(p);
      bspline((float) (p - j), wy, 0);
      int n = cols[o];
      float[] l = lattice[o];
      int r0 = (j - 1) * n;
      for (int c = 0; c < n; c++) {
        column[c] = wy[0] * l[r0 + c] + wy[1] * l[r0 + n + c] + wy[2] * l[r0 + 2 * n + c]
            + wy[3] * l[r0 + 3 * n + c];
      }
      int[] base = xBase[o];
      float[] w = xWeights[o];
      float amp = amplitude[o];
      for (int x = 0; x < width; x++) {
        int b = base[x];
        int k = 4 * x;
        out[x] += amp * (w[k] * column[b] + w[k + 1] * column[b + 1] + w[k + 2] * column[b + 2]
            + w[k + 3] * column[b + 3]);
      }
    }
  }

  private static void bspline(float t, float[] w, int at) {
    float t2 = t * t;
    float t3 = t2 * t;
    float u = 1 - t;
    w[at] = u * u * u / 6f;
    w[at + 1] = (3 * t3 - 6 * t2 + 4) / 6f;
    w[at + 2] = (-3 * t3 + 3 * t2 + 3 * t + 1) / 6f;
    w[at + 3] = t3 / 6f;
  }
}
