package org.segflow.train.augment;

import java.util.random.RandomGenerator;

/**
 * batchgeneratorsv2's GaussianBlurTransform as nnU-Net uses it: each channel is blurred with
 * probability 0.5, with its own sigma per axis ~ U(0.5, 1.0), as two 1-D passes (rows axis first).
 * The kernel has {@code nearest odd of (6 sigma + 0.5)} taps at integer offsets, normalized to sum
 * 1 (not scipy's truncate=4 kernel), and the image is padded by reflection without repeating the
 * edge pixel (torch's 'reflect' mode).
 */
public final class GaussianBlur implements Transform {

  public static final double P_PER_CHANNEL = 0.5;
  public static final double SIGMA_LOW = 0.5;
  public static final double SIGMA_HIGH = 1.0;
  /** batchgeneratorsv2's blur_dimension default: the kernel spans about +-3 sigma. */
  static final double TRUNCATE = 6;

  @Override
  public void apply(Sample sample, RandomGenerator rng) {
    int h = sample.height();
    int w = sample.width();
    int plane = h * w;
    float[] image = sample.image();
    for (int c = 0; c < sample.channels(); c++) {
      if (rng.nextDouble() < P_PER_CHANNEL) {
        double sigmaY = Uniform.draw(rng, SIGMA_LOW, SIGMA_HIGH);
        double sigmaX = Uniform.draw(rng, SIGMA_LOW, SIGMA_HIGH);
        blurPlane(image, c * plane, h, w, sigmaY, sigmaX);
      }
    }
  }

  /** Blurs the plane at {@code offset} in place: along rows (y) with sigmaY, then along x. */
  static void blurPlane(float[] image, int offset, int h, int w, double sigmaY, double sigmaX) {
    blurVertical(image, offset, h, w, kernel(sigmaY));
    blurHorizontal(image, offset, h, w, kernel(sigmaX));
  }

  /** The normalized kernel: exp(-x^2 / 2 sigma^2) at x = -(k-1)/2 .. (k-1)/2. */
  static float[] kernel(double sigma) {
    int size = kernelSize(sigma);
    double half = (size - 1) * 0.5;
    double[] pdf = new double[size];
    double sum = 0;
    for (int i = 0; i < size; i++) {
      double x = size == 1 ? 0 : -half + i * (2 * half / (size - 1));
      pdf[i] = Math.exp(-0.5 * (x / sigma) * (x / sigma));
      sum += pdf[i];
    }
    float[] k = new float[size];
    for (int i = 0; i < size; i++) {
      k[i] = (float) (pdf[i] / sum);
    }
    return k;
  }

  /** {@code _round_to_nearest_odd(sigma * 6 + 0.5)} with Python's half-to-even round. */
  static int kernelSize(double sigma) {
    double n = sigma * TRUNCATE + 0.5;
    int rounded = (int) Math.rint(n);
    if (Math.floorMod(rounded, 2) == 1) {
      return rounded;
    }
    return n - rounded >= 0 ? rounded + 1 : rounded - 1;
  }

  /** Index into [0, n) reflected about the edge pixels without repeating them (d c b | a b c d | c b a). */
  static int reflect(int i, int n) {
    if (n == 1) {
      return 0;
    }
    int period = 2 * (n - 1);
    int m = Math.floorMod(i, period);
    return m < n ? m : period - m;
  }

  private static void blurVertical(float[] image, int offset, int h, int w, float[] k) {
    int r = k.length / 2;
    float[] out = new float[h * w];
    for (int y = 0; y < h; y++) {
      int o = y * w;
      for (int t = 0; t < k.length; t++) {
        int src = offset + reflect(y + t - r, h) * w;
        float kt = k[t];
        for (int x = 0; x < w; x++) {
          out[o + x] += kt * image[src + x];
        }
      }
    }
    System.arraycopy(out, 0, image, offset, h * w);
  }

  private static void blurHorizontal(float[] image, int offset, int h, int w, float[] k) {
    int r = k.length / 2;
    float[] padded = new float[w + 2 * r];
    for (int y = 0; y < h; y++) {
      int row = offset + y * w;
      for (int p = 0; p < padded.length; p++) {
        padded[p] = image[row + reflect(p - r, w)];
      }
      for (int x = 0; x < w; x++) {
        float acc = 0;
        for (int t = 0; t < k.length; t++) {
          acc += k[t] * padded[x + t];
        }
        image[row + x] = acc;
      }
    }
  }
}
