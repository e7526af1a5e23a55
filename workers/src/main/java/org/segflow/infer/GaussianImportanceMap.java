package org.segflow.infer;

import org.segflow.evaluate.NumpySum;
import org.segflow.io.Float16;

/**
 * nnU-Net's {@code compute_gaussian}: a delta at the patch centre ({@code size // 2}) blurred by scipy's
 * {@code gaussian_filter} (sigma = patch / 8, mode constant, truncate 4), scaled to a maximum of 10,
 * cast to float16, with zeros replaced by the smallest nonzero value. Tiles are weighted by it so
 * that their borders, where predictions are worst, count least.
 */
public final class GaussianImportanceMap {

  public static final double SIGMA_SCALE = 1.0 / 8;
  public static final double VALUE_SCALING = 10;
  private static final double TRUNCATE = 4.0;

  private GaussianImportanceMap() {}

  /** The map for a (height, width) patch, row-major; every value is a float16 value. */
  public static float[] compute(int height, int width) {
    if (height < 1 || width < 1) {
      throw new IllegalArgumentException("patch size must be positive, got " + height + "x" + width);
    }
    double sigmaY = height * SIGMA_SCALE;
    double sigmaX = width * SIGMA_SCALE;
    int radiusY = radius(sigmaY);
    int radiusX = radius(sigmaX);
    double[] kernelY = kernel1d(sigmaY, radiusY);
    double[] kernelX = kernel1d(sigmaX, radiusX);
    int cy = height / 2;
    int cx = width / 2;
    // filtering a delta separably gives, exactly, the product of the two 1D weights (all other
    // terms of scipy's correlation are zeros); the centre holds the maximum
    double max = kernelY[radiusY] * kernelX[radiusX];
    float[] map = new float[height * width];
    float minNonzero = Float.POSITIVE_INFINITY;
    for (int y = 0; y < height; y++) {
      int dy = y - cy;
      for (int x = 0; x < width; x++) {
        int dx = x - cx;
        double g = Math.abs(dy) <= radiusY && Math.abs(dx) <= radiusX
            ? kernelY[dy + radiusY] * kernelX[dx + radiusX] : 0.0;
        // torch casts float64 to float16 through float32
        float h = Float16.round((float) (g / max * VALUE_SCALING));
        map[y * width + x] = h;
        if (h != 0f && h < minNonzero) {
          minNonzero = h;
        }
      }
    }
    for (int i = 0; i < map.length; i++) {
      if (map[i] == 0f) {
        map[i] = minNonzero;
      }
    }
    return map;
  }

  /** scipy's {@code gaussian_filter1d} radius: {@code int(truncate * sigma + 0.5)}. */
  static int radius(double sigma) {
    return (int) (TRUNCATE * sigma + 0.5);
  }

  /** scipy's {@code _gaussian_kernel1d(sigma, 0, radius)}: weights for offsets -radius..radius. */
  static double[] kernel1d(double sigma, int radius) {
    double factor = -0.5 / (sigma * sigma);
    double[] phi = new double[2 * radius + 1];
    for (int i = 0; i < phi.length; i++) {
      long x = i - radius;
      phi[i] = Math.exp(factor * (double) (x * x));
    }
    double total = NumpySum.sum(phi);
    for (int i = 0; i < phi.length; i++) {
      phi[i] /= total;
    }
    return phi;
  }
}
