package org.segflow.fingerprint;

import org.segflow.io.ImageArray;
import org.segflow.random.NumpyRandomState;

/**
 * nnU-Net's {@code collect_foreground_intensities} for one cropped case: per channel, draw
 * {@code numSamples} foreground intensities with replacement ({@code rs.choice(fg, n, replace=True)},
 * i.e. {@code randint(0, len(fg))} indices into the C-order foreground pixels) from one
 * {@code RandomState(1234)} used by the channels in turn. Instead of the drawn array it returns how
 * often each value was drawn.
 */
final class ForegroundSampler {

  static final long SEED = 1234;
  private static final int CHUNK = 8192;
  /** Integer-valued channels spanning at most this many values are counted in a direct table. */
  private static final int MAX_DIRECT_SPAN = 1 << 20;

  private ForegroundSampler() {}

  /** One histogram per channel; empty (and no draws) when the case has no foreground. */
  static IntensityHistogram[] sample(ImageArray data, short[] seg, long numSamples) {
    int n = data.pixels();
    int fgCount = 0;
    for (short s : seg) {
      if (s > 0) {
        fgCount++;
      }
    }
    int[] fg = new int[fgCount];
    for (int p = 0, j = 0; p < n; p++) {
      if (seg[p] > 0) {
        fg[j++] = p;
      }
    }
    IntensityHistogram[] out = new IntensityHistogram[data.channels()];
    NumpyRandomState rs = new NumpyRandomState(SEED);
    for (int c = 0; c < out.length; c++) {
      if (fgCount == 0 || numSamples == 0) {
        out[c] = IntensityHistogram.EMPTY;
        continue;
      }
      float[] values = new float[fgCount];
      float[] all = data.data();
      for (int j = 0; j < fgCount; j++) {
        values[j] = all[c * n + fg[j]] + 0.0f; // -0.0 counts as 0.0, as numpy compares them
      }
      out[c] = draw(values, numSamples, rs);
    }
    return out;
  }

  private static IntensityHistogram draw(float[] values, long numSamples, NumpyRandomState rs) {
    float min = Float.POSITIVE_INFINITY;
    float max = Float.NEGATIVE_INFINITY;
    boolean integral = true;
    for (float v : values) {
      min = Math.min(min, v);
      max = Math.max(max, v);
      integral &= v == Math.rint(v);
    }
    if (integral && (double) max - min < MAX_DIRECT_SPAN) {
      return drawIntegral(values, (int) min, (int) max, numSamples, rs);
    }
    int[] hits = new int[values.length];
    drawIndices(values.length, numSamples, rs, idx -> hits[idx]++);
    long[] entries = new long[values.length];
    int k = 0;
    for (int i = 0; i < values.length; i++) {
      if (hits[i] > 0) {
        entries[k++] = ((long) IntensityHistogram.sortableKey(values[i]) << 32) | hits[i];
      }
    }
    return IntensityHistogram.fromKeyedCounts(entries, k);
  }

  /** Direct counting by value for integer-valued images (8- and 16-bit PNGs). */
  private static IntensityHistogram drawIntegral(float[] values, int min, int max, long numSamples,
      NumpyRandomState rs) {
    int[] bin = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      bin[i] = (int) values[i] - min;
    }
    long[] counts = new long[max - min + 1];
    drawIndices(values.length, numSamples, rs, idx -> counts[bin[idx]]++);
    int distinct = 0;
    for (long c : counts) {
      if (c > 0) {
        distinct++;
      }
    }
    float[] v = new float[distinct];
    long[] c = new long[distinct];
    for (int b = 0, j = 0; b < counts.length; b++) {
      if (counts[b] > 0) {
        v[j] = min + b;
        c[j++] = counts[b];
      }
    }
    return new IntensityHistogram(v, c);
  }

  /** {@code rs.randint(0, population, numSamples)}, drawn in chunks to bound memory. */
  private static void drawIndices(int population, long numSamples, NumpyRandomState rs,
      java.util.function.IntConsumer onIndex) {
    for (long done = 0; done < numSamples; ) {
      int size = (int) Math.min(CHUNK, numSamples - done);
      for (long idx : rs.randint(population, size)) {
        onIndex.accept((int) idx);
      }
      done += size;
    }
  }
}
