package org.segflow.infer;

import java.util.ArrayList;
import java.util.List;
import org.segflow.io.ImageArray;

/**
 * nnU-Net's sliding-window inference on one preprocessed (C, H, W) image: every tile's logits (with
 * mirroring TTA: the mean over the plain tile and each flip combination, flipped back) are weighted
 * by the Gaussian importance map and accumulated together with the weights; the result is their
 * quotient, cut back to the image's own size. Accumulation is float32 (nnU-Net uses float16 buffers).
 */
public final class SlidingWindowPredictor {

  private final TileLogits network;
  private final int patchHeight;
  private final int patchWidth;
  private final SlidingWindowOptions options;
  private final float[] gaussian;
  /** TTA variants in nnU-Net's order: plain, then itertools.combinations of the axes by size. */
  private final List<boolean[]> variants;

  public SlidingWindowPredictor(TileLogits network, int patchHeight, int patchWidth,
      SlidingWindowOptions options) {
    this.network = network;
    this.patchHeight = patchHeight;
    this.patchWidth = patchWidth;
    this.options = options;
    this.gaussian = GaussianImportanceMap.compute(patchHeight, patchWidth);
    this.variants = flipVariants(options.mirrorAxes());
  }

  /** Number of network passes per tile position (4 with 2D mirroring, 1 without). */
  public int passesPerTile() {
    return variants.size();
  }

  /** Logits (K, H, W) for a (C, H, W) image of any size. */
  public ImageArray predictLogits(ImageArray image) {
    SlidingWindowGeometry geo = SlidingWindowGeometry.of(image.height(), image.width(),
        patchHeight, patchWidth, options.stepSize());
    Accumulator acc = new Accumulator(geo, image.channels(), geo.pad(image.data(), image.channels()));
    int positions = geo.tileCount();
    int items = positions * variants.size();
    int batch = options.tilesPerCall();
    int tileSize = image.channels() * patchHeight * patchWidth;
    float[] tiles = new float[Math.min(batch, items) * tileSize];
    for (int first = 0; first < items; first += batch) {
      int n = Math.min(batch, items - first);
      float[] buffer = n * tileSize == tiles.length ? tiles : new float[n * tileSize];
      for (int t = 0; t < n; t++) {
        acc.extractTile(first + t, buffer, t * tileSize);
      }
      float[] out = network.logits(buffer, n, image.channels(), patchHeight, patchWidth);
      acc.addOutputs(first, n, out);
    }
    int classes = acc.classes;
    float[] logits = geo.unpad(acc.result(), classes);
    return new ImageArray(classes, image.height(), image.width(), logits);
  }

  private static List<boolean[]> flipVariants(int[] axes) {
    List<boolean[]> out = new ArrayList<>();
    out.add(new boolean[2]);
    for (int size = 1; size <= axes.length; size++) {
      combinations(axes, size, 0, new boolean[2], out);
    }
    return out;
  }

  private static void combinations(int[] axes, int remaining, int start, boolean[] chosen,
      List<boolean[]> out) {
    if (remaining == 0) {
      out.add(chosen.clone());
      return;
    }
    for (int i = start; i <= axes.length - remaining; i++) {
      chosen[axes[i]] = true;
      combinations(axes, remaining - 1, i + 1, chosen, out);
      chosen[axes[i]] = false;
    }
  }

  /** The running sums for one image; tile work items are numbered position-major, variant-minor. */
  private final class Accumulator {
    private final SlidingWindowGeometry geo;
    private final int channels;
    private final float[] padded;
    private final int plane;
    private final int tilePixels;
    private final float[] weights;
    private float[] sums;
    private int classes = -1;
    /** TTA sum of the position whose variants are being collected. */
    private float[] tileSum;

    Accumulator(SlidingWindowGeometry geo, int channels, float[] padded) {
      this.geo = geo;
      this.channels = channels;
      this.padded = padded;
      this.plane = geo.paddedHeight() * geo.paddedWidth();
      this.tilePixels = patchHeight * patchWidth;
      this.weights = new float[plane];
    }

    void extractTile(int item, float[] dst, int offset) {
      int position = item / variants.size();
      boolean[] flip = variants.get(item % variants.size());
      int y0 = geo.tileYs()[position / geo.tileXs().length];
      int x0 = geo.tileXs()[position % geo.tileXs().length];
      int pw = geo.paddedWidth();
      for (int c = 0; c < channels; c++) {
        for (int y = 0; y < patchHeight; y++) {
          int srcY = y0 + (flip[0] ? patchHeight - 1 - y : y);
          int src = c * plane + srcY * pw + x0;
          int d = offset + (c * patchHeight + y) * patchWidth;
          if (flip[1]) {
            for (int x = 0; x < patchWidth; x++) {
              dst[d + x] = padded[src + patchWidth - 1 - x];
            }
          } else {
            System.arraycopy(padded, src, dst, d, patchWidth);
          }
        }
      }
    }

    void addOutputs(int firstItem, int n, float[] out) {
      if (out == null || out.length == 0 || out.length % (n * tilePixels) != 0) {
        throw new IllegalStateException("network returned " + (out == null ? "null" : out.length
            + " values") + " for " + n + " tiles of " + patchHeight + "x" + patchWidth
            + "; expected n * classes * height * width");
      }
      int k = out.length / (n * tilePixels);
      if (classes < 0) {
        classes = k;
        sums = new float[classes * plane];
        tileSum = new float[classes * tilePixels];
      } else if (k != classes) {
        throw new IllegalStateException("network returned " + k + " classes after " + classes);
      }
      int perTile = classes * tilePixels;
      for (int t = 0; t < n; t++) {
        int item = firstItem + t;
        int variant = item % variants.size();
        addVariant(out, t * perTile, variants.get(variant), variant == 0);
        if (variant == variants.size() - 1) {
          addTile(item / variants.size());
        }
      }
    }

    /** Flips one variant's logits back and adds them to the TTA sum (in nnU-Net's order). */
    private void addVariant(float[] out, int offset, boolean[] flip, boolean first) {
      for (int k = 0; k < classes; k++) {
        for (int y = 0; y < patchHeight; y++) {
          int srcRow = offset + (k * patchHeight + (flip[0] ? patchHeight - 1 - y : y)) * patchWidth;
          int dst = (k * patchHeight + y) * patchWidth;
          for (int x = 0; x < patchWidth; x++) {
            float v = out[srcRow + (flip[1] ? patchWidth - 1 - x : x)];
            tileSum[dst + x] = first ? v : tileSum[dst + x] + v;
          }
        }
      }
    }

    private void addTile(int position) {
      int y0 = geo.tileYs()[position / geo.tileXs().length];
      int x0 = geo.tileXs()[position % geo.tileXs().length];
      int pw = geo.paddedWidth();
      float passes = variants.size();
      for (int k = 0; k < classes; k++) {
        for (int y = 0; y < patchHeight; y++) {
          int src = (k * patchHeight + y) * patchWidth;
          int dst = k * plane + (y0 + y) * pw + x0;
          int g = y * patchWidth;
          for (int x = 0; x < patchWidth; x++) {
            sums[dst + x] += tileSum[src + x] / passes * gaussian[g + x];
          }
        }
      }
      for (int y = 0; y < patchHeight; y++) {
        int dst = (y0 + y) * pw + x0;
        int g = y * patchWidth;
        for (int x = 0; x < patchWidth; x++) {
          weights[dst + x] += gaussian[g + x];
        }
      }
    }

    float[] result() {
      for (int k = 0; k < classes; k++) {
        int base = k * plane;
        for (int i = 0; i < plane; i++) {
          float v = sums[base + i] / weights[i];
          if (!Float.isFinite(v)) {
            throw new IllegalStateException("non-finite logit " + v + " for class " + k
                + " at pixel " + i + " of the padded image; the network produced NaN or infinity");
          }
          sums[base + i] = v;
        }
      }
      return sums;
    }
  }
}
