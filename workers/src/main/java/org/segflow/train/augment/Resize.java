package org.segflow.train.augment;

/**
 * The two torch.nn.functional.interpolate modes the pipeline uses, with PyTorch's CPU index
 * arithmetic (float32 scales {@code in/out}): 'nearest-exact' picks
 * {@code min(floor((dst + 0.5) * in/out), in - 1)}; 'bilinear' with align_corners=False samples
 * at {@code max(0, (dst + 0.5) * in/out - 0.5)} and clamps the upper neighbour to the edge.
 */
public final class Resize {

  private Resize() {}

  /** The nearest-exact source index of each destination index along one axis. */
  static int[] nearestExactIndices(int in, int out) {
    float scale = (float) in / out;
    int[] idx = new int[out];
    for (int d = 0; d < out; d++) {
      idx[d] = Math.min((int) Math.floor((float) ((d + 0.5) * scale)), in - 1);
    }
    return idx;
  }

  /** Nearest-exact resize of one float plane (h, w) to (nh, nw). */
  public static float[] nearestExact(float[] src, int h, int w, int nh, int nw) {
    int[] ys = nearestExactIndices(h, nh);
    int[] xs = nearestExactIndices(w, nw);
    float[] out = new float[nh * nw];
    for (int y = 0; y < nh; y++) {
      int row = ys[y] * w;
      int o = y * nw;
      for (int x = 0; x < nw; x++) {
        out[o + x] = src[row + xs[x]];
      }
    }
    return out;
  }

  /** Nearest-exact resize of a label map (h, w) to (nh, nw). */
  public static short[] nearestExact(short[] src, int h, int w, int nh, int nw) {
    int[] ys = nearestExactIndices(h, nh);
    int[] xs = nearestExactIndices(w, nw);
    short[] out = new short[nh * nw];
    for (int y = 0; y < nh; y++) {
      int row = ys[y] * w;
      int o = y * nw;
      for (int x = 0; x < nw; x++) {
        out[o + x] = src[row + xs[x]];
      }
    }
    return out;
  }

  /** Bilinear (align_corners=False, no antialiasing) resize of one float plane. */
  public static float[] bilinear(float[] src, int h, int w, int nh, int nw) {
    Axis ya = Axis.of(h, nh);
    Axis xa = Axis.of(w, nw);
    float[] out = new float[nh * nw];
    for (int y = 0; y < nh; y++) {
      int r0 = ya.i0[y] * w;
      int r1 = ya.i1[y] * w;
      float h0 = ya.l0[y];
      float h1 = ya.l1[y];
      int o = y * nw;
      for (int x = 0; x < nw; x++) {
        int c0 = xa.i0[x];
        int c1 = xa.i1[x];
        float w0 = xa.l0[x];
        float w1 = xa.l1[x];
        out[o + x] = h0 * (w0 * src[r0 + c0] + w1 * src[r0 + c1])
            + h1 * (w0 * src[r1 + c0] + w1 * src[r1 + c1]);
      }
    }
    return out;
  }

  /** Per destination index: the two source indices and their weights along one axis. */
  private record Axis(int[] i0, int[] i1, float[] l0, float[] l1) {

    static Axis of(int in, int out) {
      float scale = (float) in / out;
      int[] i0 = new int[out];
      int[] i1 = new int[out];
      float[] l0 = new float[out];
      float[] l1 = new float[out];
      for (int d = 0; d < out; d++) {
        float src = scale * (d + 0.5f) - 0.5f;
        if (src < 0) {
          src = 0;
        }
        int lo = Math.min((int) Math.floor(src), in - 1);
        float lambda = Math.min(Math.max(src - lo, 0f), 1f);
        i0[d] = lo;
        i1[d] = lo + (lo < in - 1 ? 1 : 0);
        l1[d] = lambda;
        l0[d] = 1 - lambda;
      }
      return new Axis(i0, i1, l0, l1);
    }
  }
}
