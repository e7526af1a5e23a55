package org.segflow.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.segflow.io.ImageArray;

class SlidingWindowPredictorTest {

  /** Two classes computed pixel by pixel from channel 0: commutes with flips. */
  private static final TileLogits POINTWISE = (tiles, n, c, h, w) -> {
    float[] out = new float[n * 2 * h * w];
    for (int t = 0; t < n; t++) {
      for (int i = 0; i < h * w; i++) {
        float v = tiles[t * c * h * w + i];
        out[(t * 2) * h * w + i] = v;
        out[(t * 2 + 1) * h * w + i] = 2 * v - 1;
      }
    }
    return out;
  };

  /** One class equal to the row index inside the tile: not flip-equivariant. */
  private static final TileLogits ROW_INDEX = (tiles, n, c, h, w) -> {
    float[] out = new float[n * h * w];
    for (int t = 0; t < n; t++) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          out[(t * h + y) * w + x] = y + tiles[t * c * h * w + y * w + x];
        }
      }
    }
    return out;
  };

  private static ImageArray ramp(int channels, int h, int w) {
    float[] d = new float[channels * h * w];
    for (int i = 0; i < d.length; i++) {
      d[i] = (float) Math.sin(i * 0.37) + (i % 7) * 0.1f;
    }
    return new ImageArray(channels, h, w, d);
  }

  private static SlidingWindowOptions options(boolean mirror, int batch) {
    return SlidingWindowOptions.defaults().withMirroring(mirror).withTilesPerCall(batch);
  }

  @Test
  void constantLogitsStitchToThatConstant() {
    TileLogits constant = (tiles, n, c, h, w) -> {
      float[] out = new float[n * 2 * h * w];
      for (int t = 0; t < n; t++) {
        java.util.Arrays.fill(out, t * 2 * h * w, (t * 2 + 1) * h * w, 1.5f);
        java.util.Arrays.fill(out, (t * 2 + 1) * h * w, (t * 2 + 2) * h * w, -2.25f);
      }
      return out;
    };
    ImageArray logits = new SlidingWindowPredictor(constant, 16, 24, options(true, 4))
        .predictLogits(ramp(3, 37, 50));
    assertEquals(2, logits.channels());
    assertEquals(37, logits.height());
    assertEquals(50, logits.width());
    for (int i = 0; i < logits.pixels(); i++) {
      assertEquals(1.5f, logits.data()[i], 1e-5f);
      assertEquals(-2.25f, logits.data()[logits.pixels() + i], 1e-5f);
    }
  }

  @Test
  void pointwiseNetworkIsReproducedAtEveryPixelIncludingPadding() {
    ImageArray image = ramp(2, 10, 30); // height 10 < patch 16: padded
    ImageArray logits = new SlidingWindowPredictor(POINTWISE, 16, 24, options(false, 3))
        .predictLogits(image);
    for (int i = 0; i < image.pixels(); i++) {
      float v = image.data()[i];
      assertEquals(v, logits.data()[i], 1e-5f);
      assertEquals(2 * v - 1, logits.data()[image.pixels() + i], 1e-5f);
    }
  }

  @Test
  void mirroringDoesNotChangeAFlipEquivariantNetwork() {
    ImageArray image = ramp(1, 37, 50);
    ImageArray plain = new SlidingWindowPredictor(POINTWISE, 16, 24, options(false, 1))
        .predictLogits(image);
    ImageArray tta = new SlidingWindowPredictor(POINTWISE, 16, 24, options(true, 4))
        .predictLogits(image);
    assertArrayEquals(plain.data(), tta.data(), 1e-5f);
  }

  @Test
  void mirroringChangesANonEquivariantNetwork() {
    ImageArray image = ramp(1, 16, 16);
    ImageArray plain = new SlidingWindowPredictor(ROW_INDEX, 16, 16, options(false, 1))
        .predictLogits(image);
    ImageArray tta = new SlidingWindowPredictor(ROW_INDEX, 16, 16, options(true, 4))
        .predictLogits(image);
    // one tile: plain gives row + x; TTA averages row and 15 - row, i.e. 7.5 + x
    assertEquals(image.get(0, 0, 3) + 0f, plain.get(0, 0, 3), 1e-5f);
    assertEquals(15 + image.get(0, 15, 3), plain.get(0, 15, 3), 1e-5f);
    assertEquals(7.5f + image.get(0, 0, 3), tta.get(0, 0, 3), 1e-5f);
    assertEquals(7.5f + image.get(0, 15, 3), tta.get(0, 15, 3), 1e-5f);
  }

  @Test
  void onlyYMirroringAveragesRowsButNotColumns() {
    TileLogits colIndex = (tiles, n, c, h, w) -> {
      float[] out = new float[n * h * w];
      for (int t = 0; t < n; t++) {
        for (int i = 0; i < h * w; i++) {
          out[t * h * w + i] = i % w;
        }
      }
      return out;
    };
    SlidingWindowOptions yOnly = SlidingWindowOptions.defaults().withMirrorAxes(0);
    ImageArray out = new SlidingWindowPredictor(colIndex, 8, 8, yOnly).predictLogits(ramp(1, 8, 8));
    assertEquals(5f, out.get(0, 2, 5), 1e-6f);
    assertEquals(2, new SlidingWindowPredictor(colIndex, 8, 8, yOnly).passesPerTile());
  }

  @Test
  void overlappingTilesAreBlendedWithTheGaussian() {
    // tiles at x = 0 and x = 8 (step 0.5 of a 16-wide patch on a 24-wide image); each tile predicts
    // a constant equal to its first input pixel, which is the column index of the tile's origin
    TileLogits tileConstant = (tiles, n, c, h, w) -> {
      float[] out = new float[n * h * w];
      for (int t = 0; t < n; t++) {
        java.util.Arrays.fill(out, t * h * w, (t + 1) * h * w, tiles[t * c * h * w]);
      }
      return out;
    };
    float[] img = new float[16 * 24];
    for (int i = 0; i < img.length; i++) {
      img[i] = i % 24;
    }
    ImageArray out = new SlidingWindowPredictor(tileConstant, 16, 16, options(false, 2))
        .predictLogits(new ImageArray(1, 16, 24, img));
    float[] g = GaussianImportanceMap.compute(16, 16);
    for (int y = 0; y < 16; y++) {
      assertEquals(0f, out.get(0, y, 3), 0f);
      assertEquals(8f, out.get(0, y, 20), 0f);
      for (int x = 8; x < 16; x++) {
        float g0 = g[y * 16 + x];
        float g1 = g[y * 16 + x - 8];
        assertEquals((0 * g0 + 8 * g1) / (g0 + g1), out.get(0, y, x), 1e-5f, "at " + y + "," + x);
      }
    }
  }

  @Test
  void batchingDoesNotChangeTheResult() {
    ImageArray image = ramp(2, 41, 29);
    float[] reference = null;
    for (int batch : new int[] {1, 3, 4, 7, 100}) {
      List<Integer> calls = new ArrayList<>();
      TileLogits counting = (tiles, n, c, h, w) -> {
        calls.add(n);
        return ROW_INDEX.logits(tiles, n, c, h, w);
      };
      SlidingWindowPredictor p = new SlidingWindowPredictor(counting, 16, 16, options(true, batch));
      float[] result = p.predictLogits(image).data();
      // 41x29 with a 16x16 patch: 5 x 3 positions (ceil(25 / 8) + 1, ceil(13 / 8) + 1), 4 passes each
      assertEquals(60, calls.stream().mapToInt(Integer::intValue).sum());
      assertEquals((60 + batch - 1) / batch, calls.size());
      assertTrue(calls.stream().allMatch(n -> n <= batch));
      if (reference == null) {
        reference = result;
      } else {
        assertArrayEquals(reference, result, 0f, "batch " + batch);
      }
    }
  }

  @Test
  void rejectsMalformedNetworkOutput() {
    TileLogits wrong = (tiles, n, c, h, w) -> new float[n * h * w + 1];
    SlidingWindowPredictor p = new SlidingWindowPredictor(wrong, 8, 8, options(false, 1));
    assertThrows(IllegalStateException.class, () -> p.predictLogits(ramp(1, 8, 8)));
    TileLogits nan = (tiles, n, c, h, w) -> {
      float[] out = new float[n * h * w];
      java.util.Arrays.fill(out, Float.NaN);
      return out;
    };
    assertThrows(IllegalStateException.class,
        () -> new SlidingWindowPredictor(nan, 8, 8, options(false, 1)).predictLogits(ramp(1, 8, 8)));
  }
}
