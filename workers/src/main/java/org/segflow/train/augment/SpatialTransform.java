package org.segflow.train.augment;

import java.util.random.RandomGenerator;
import org.segflow.io.Float16;

/**
 * batchgeneratorsv2's SpatialTransform as nnU-Net configures it for 2D: rotation (p 0.2) and an
 * isotropic scaling (p 0.2, U(0.7, 1.4)) drawn independently, no elastic deformation, and the
 * output cut to the patch size around the centre of the (enlarged) input crop.
 *
 * <p>With neither rotation nor scaling the output is a plain crop whose start is
 * {@code floor(in/2) - patch/2}. Otherwise every output pixel p samples the input at
 * {@code A (p - (patch-1)/2) + (in-1)/2} with {@code A = scale * R(angle)}: this is where
 * grid_sample with align_corners=False lands for the centred identity grid, so a scale above 1
 * zooms out. The image is sampled bilinearly with zero padding. The labels are sampled as
 * bilinear one-hot scores (x1000, rounded to float16 as upstream stores them) with an argmax whose
 * ties go to the lowest label; outside the input counts as label -1, so points off the image
 * come out as -1.
 */
public final class SpatialTransform implements Transform {

  public static final double P_ROTATION = 0.2;
  public static final double P_SCALING = 0.2;
  public static final double SCALE_LOW = 0.7;
  public static final double SCALE_HIGH = 1.4;

  private static final short OUTSIDE = -1;

  private final int patchHeight;
  private final int patchWidth;
  private final double maxRotation;

  /**
   * @param maxRotation the angle is drawn from U(-maxRotation, maxRotation), radians
   */
  public SpatialTransform(int patchHeight, int patchWidth, double maxRotation) {
    if (patchHeight < 1 || patchWidth < 1) {
      throw new IllegalArgumentException("bad patch size " + patchHeight + "x" + patchWidth);
    }
    this.patchHeight = patchHeight;
    this.patchWidth = patchWidth;
    this.maxRotation = maxRotation;
  }

  @Override
  public void apply(Sample sample, RandomGenerator rng) {
    boolean rotate = rng.nextDouble() < P_ROTATION;
    boolean scale = rng.nextDouble() < P_SCALING;
    double angle = rotate ? Uniform.draw(rng, -maxRotation, maxRotation) : 0;
    double factor = scale ? Uniform.draw(rng, SCALE_LOW, SCALE_HIGH) : 1;
    if (!rotate && !scale) {
      centreCrop(sample);
    } else {
      resample(sample, angle, factor);
    }
  }

  /** The no-augmentation path: a crop starting at floor(in/2) - patch/2 (padding 0 / -1). */
  void centreCrop(Sample s) {
    int y0 = s.height() / 2 - patchHeight / 2;
    int x0 = s.width() / 2 - patchWidth / 2;
    float[] image = PaddedCrop.image(
        s.image(), s.channels(), s.height(), s.width(), y0, x0, patchHeight, patchWidth, 0f);
    short[] seg = PaddedCrop.labels(
        s.seg(), s.height(), s.width(), y0, x0, patchHeight, patchWidth, OUTSIDE);
    s.replace(patchHeight, patchWidth, image, seg);
  }

  /** Resamples the sample onto the patch grid with the given rotation (radians) and scale. */
  void resample(Sample s, double angle, double scale) {
    int inH = s.height();
    int inW = s.width();
    int channels = s.channels();
    int inPlane = inH * inW;
    int outPlane = patchHeight * patchWidth;
    float[] src = s.image();
    short[] srcSeg = s.seg();
    float[] out = new float[channels * outPlane];
    short[] outSeg = new short[outPlane];

    double a = scale * Math.cos(angle);
    double b = scale * Math.sin(angle);
    double inCy = (inH - 1) / 2.0;
    double inCx = (inW - 1) / 2.0;
    double outCy = (patchHeight - 1) / 2.0;
    double outCx = (patchWidth - 1) / 2.0;

    for (int i = 0; i < patchHeight; i++) {
      double dy = i - outCy;
      // source = (a*dy - b*dx + inCy, b*dy + a*dx + inCx) with dx = j - outCx
      double rowY = a * dy + b * outCx + inCy;
      double rowX = b * dy - a * outCx + inCx;
      int outRow = i * patchWidth;
      for (int j = 0; j < patchWidth; j++) {
        double y = rowY - b * j;
        double x = rowX + a * j;
        double fy0 = Math.floor(y);
        double fx0 = Math.floor(x);
        int y0 = (int) fy0;
        int x0 = (int) fx0;
        float fy = (float) (y - fy0);
        float fx = (float) (x - fx0);
        float w00 = (1 - fy) * (1 - fx);
        float w01 = (1 - fy) * fx;
        float w10 = fy * (1 - fx);
        float w11 = fy * fx;
        int o = outRow + j;
        if (y0 >= 0 && x0 >= 0 && y0 + 1 < inH && x0 + 1 < inW) {
          int p = y0 * inW + x0;
          for (int c = 0, base = 0, obase = 0; c < channels; c++, base += inPlane, obase += outPlane) {
            int q = base + p;
            out[obase + o] = w00 * src[q] + w01 * src[q + 1] + w10 * src[q + inW] + w11 * src[q + inW + 1];
          }
          short l00 = srcSeg[p];
          short l01 = srcSeg[p + 1];
          short l10 = srcSeg[p + inW];
          short l11 = srcSeg[p + inW + 1];
          outSeg[o] = (l00 == l01 && l00 == l10 && l00 == l11)
              ? l00
              : argmax(l00, w00, l01, w01, l10, w10, l11, w11);
        } else if (y0 < -1 || x0 < -1 || y0 >= inH || x0 >= inW) {
          outSeg[o] = OUTSIDE; // all four neighbours outside: image 0, label -1
        } else {
          boolean top = y0 >= 0;
          boolean bottom = y0 + 1 < inH;
          boolean left = x0 >= 0;
          boolean right = x0 + 1 < inW;
          int p = y0 * inW + x0;
          for (int c = 0, base = 0, obase = 0; c < channels; c++, base += inPlane, obase += outPlane) {
            int q = base + p;
            float v = 0;
            if (top && left) {
              v += w00 * src[q];
            }
            if (top && right) {
              v += w01 * src[q + 1];
            }
            if (bottom && left) {
              v += w10 * src[q + inW];
            }
            if (bottom && right) {
              v += w11 * src[q + inW + 1];
            }
            out[obase + o] = v;
          }
          short l00 = top && left ? srcSeg[p] : OUTSIDE;
          short l01 = top && right ? srcSeg[p + 1] : OUTSIDE;
          short l10 = bottom && left ? srcSeg[p + inW] : OUTSIDE;
          short l11 = bottom && right ? srcSeg[p + inW + 1] : OUTSIDE;
          outSeg[o] = argmax(l00, w00, l01, w01, l10, w10, l11, w11);
        }
      }
    }
    s.replace(patchHeight, patchWidth, out, outSeg);
  }

  /**
   * The label with the largest interpolated one-hot score among the four neighbours; scores are
   * kept as upstream keeps them (x1000 in float16), and ties go to the lowest label.
   */
  static short argmax(short l0, float w0, short l1, float w1, short l2, float w2, short l3, float w3) {
    short best = l0;
    float bestScore = score(l0, l0, w0, l1, w1, l2, w2, l3, w3);
    for (int k = 1; k < 4; k++) {
      short l = k == 1 ? l1 : k == 2 ? l2 : l3;
      if (l == best) {
        continue;
      }
      float sc = score(l, l0, w0, l1, w1, l2, w2, l3, w3);
      if (sc > bestScore || (sc == bestScore && l < best)) {
        best = l;
        bestScore = sc;
      }
    }
    return best;
  }

  private static float score(
      short label, short l0, float w0, short l1, float w1, short l2, float w2, short l3, float w3) {
    float s = 0;
    if (l0 == label) {
      s += w0;
    }
    if (l1 == label) {
      s += w1;
    }
    if (l2 == label) {
      s += w2;
    }
    if (l3 == label) {
      s += w3;
    }
    return Float16.round(s * 1000f);
  }
}
