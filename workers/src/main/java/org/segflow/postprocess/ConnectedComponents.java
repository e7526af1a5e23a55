package org.segflow.postprocess;

import java.util.Arrays;

/**
 * Connected components of a 2D binary mask with full connectivity (8 neighbours), as skimage's
 * {@code label} with its default connectivity, which nnU-Net's postprocessing uses.
 */
public final class ConnectedComponents {

  private ConnectedComponents() {}

  /**
   * Labels the mask's components 1..n in raster order of their first pixel (0 = outside the mask).
   *
   * @param out receives the labels; length height * width
   * @return the number of components n
   */
  public static int label(boolean[] mask, int height, int width, int[] out) {
    int pixels = height * width;
    if (mask.length != pixels || out.length != pixels) {
      throw new IllegalArgumentException("mask (" + mask.length + ") and output (" + out.length
          + ") must have " + height + "*" + width + " pixels");
    }
    Arrays.fill(out, 0);
    int[] queue = new int[pixels];
    int count = 0;
    for (int start = 0; start < pixels; start++) {
      if (!mask[start] || out[start] != 0) {
        continue;
      }
      int id = ++count;
      out[start] = id;
      int head = 0;
      int tail = 0;
      queue[tail++] = start;
      while (head < tail) {
        int p = queue[head++];
        int y = p / width;
        int x = p - y * width;
        int y0 = Math.max(0, y - 1);
        int y1 = Math.min(height - 1, y + 1);
        int x0 = Math.max(0, x - 1);
        int x1 = Math.min(width - 1, x + 1);
        for (int ny = y0; ny <= y1; ny++) {
          int row = ny * width;
          for (int nx = x0; nx <= x1; nx++) {
            int q = row + nx;
            if (mask[q] && out[q] == 0) {
              out[q] = id;
              queue[tail++] = q;
            }
          }
        }
      }
    }
    return count;
  }

  /** Pixel count of each component: {@code sizes[id]} for id 1..n (index 0 unused). */
  public static long[] sizes(int[] labels, int count) {
    long[] sizes = new long[count + 1];
    for (int l : labels) {
      sizes[l]++;
    }
    sizes[0] = 0;
    return sizes;
  }

  /**
   * The mask reduced to its largest component. Components tied for the largest size are all kept,
   * as acvl_utils' {@code remove_all_but_largest_component} does.
   */
  public static boolean[] keepLargest(boolean[] mask, int height, int width) {
    int[] labels = new int[height * width];
    int count = label(mask, height, width, labels);
    long[] sizes = sizes(labels, count);
    long max = 0;
    for (int id = 1; id <= count; id++) {
      max = Math.max(max, sizes[id]);
    }
    boolean[] keep = new boolean[mask.length];
    for (int i = 0; i < keep.length; i++) {
      keep[i] = labels[i] != 0 && sizes[labels[i]] == max;
    }
    return keep;
  }
}
