package org.segflow.train.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.segflow.io.ImageArray;
import org.segflow.preprocess.PreprocessedCase;

/** Small preprocessed cases for sampler and producer tests. */
public final class SyntheticCases {

  private SyntheticCases() {}

  /**
   * A case with random normalized intensities, label -1 in a 2-pixel frame (outside the nonzero
   * region), and a filled disc of label 1 centred at (cy, cx) with radius r; radius 0 gives no
   * foreground.
   */
  public static PreprocessedCase disc(String id, int channels, int h, int w, int cy, int cx, int r, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[] data = new float[channels * h * w];
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) rng.nextGaussian();
    }
    short[] seg = new short[h * w];
    List<Integer> fg = new ArrayList<>();
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = y * w + x;
        if (y < 2 || x < 2 || y >= h - 2 || x >= w - 2) {
          seg[i] = -1;
        } else if (r > 0 && (y - cy) * (y - cy) + (x - cx) * (x - cx) <= r * r) {
          seg[i] = 1;
          fg.add(i);
        }
      }
    }
    Map<Integer, int[]> locations = new TreeMap<>();
    locations.put(1, fg.stream().mapToInt(Integer::intValue).toArray());
    return new PreprocessedCase(id, new ImageArray(channels, h, w, data), seg, locations, properties(h, w));
  }

  public static PreprocessedCase.CaseProperties properties(int h, int w) {
    return new PreprocessedCase.CaseProperties(
        new int[] {1, h, w}, new int[][] {{0, 1}, {0, h}, {0, w}}, new int[] {1, h, w}, new double[] {999, 1, 1});
  }
}
