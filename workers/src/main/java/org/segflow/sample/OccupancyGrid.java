package org.segflow.sample;

import java.util.Arrays;

/**
 * A coarse grid remembering which branch passed through each cell, so that a growing vessel can
 * keep its distance from vessels of its own kind (arteries avoid arteries, veins avoid veins;
 * the two trees interleave and cross). This is what spreads the tree evenly over the retina.
 */
final class OccupancyGrid {

  private final double cell;
  private final int cols;
  private final int rows;
  private final int[][] owner = new int[VesselKind.values().length][];

  /** Results of the last {@link #probe}: repulsion, nearest foreign cell ahead, foreign cells. */
  double pushX;
  double pushY;
  double nearestAhead;
  int crowd;

  OccupancyGrid(int height, int width, double cell) {
    this.cell = cell;
    this.cols = (int) Math.ceil(width / cell) + 1;
    this.rows = (int) Math.ceil(height / cell) + 1;
    for (int k = 0; k < owner.length; k++) {
      owner[k] = new int[cols * rows];
      Arrays.fill(owner[k], -1);
    }
  }

  void mark(double x, double y, VesselKind kind, int branch) {
    int cx = (int) Math.floor(x / cell);
    int cy = (int) Math.floor(y / cell);
    if (cx < 0 || cy < 0 || cx >= cols || cy >= rows) {
      return;
    }
    int[] o = owner[kind.ordinal()];
    if (o[cy * cols + cx] < 0) {
      o[cy * cols + cx] = branch;
    }
  }

  /**
   * Sums a repulsion from cells of {@code kind} within {@code range} owned by other branches
   * ({@code self} and, when not -1, {@code ignore} are skipped) and finds the nearest such cell
   * in front of the heading (hx, hy).
   */
  void probe(double x, double y, double hx, double hy, double range, VesselKind kind, int self,
      int ignore) {
    pushX = 0;
    pushY = 0;
    nearestAhead = Double.POSITIVE_INFINITY;
    crowd = 0;
    int[] o = owner[kind.ordinal()];
    int x0 = Math.max(0, (int) Math.floor((x - range) / cell));
    int x1 = Math.min(cols - 1, (int) Math.floor((x + range) / cell));
    int y0 = Math.max(0, (int) Math.floor((y - range) / cell));
    int y1 = Math.min(rows - 1, (int) Math.floor((y + range) / cell));
    double range2 = range * range;
    for (int cy = y0; cy <= y1; cy++) {
      double qy = (cy + 0.5) * cell;
      for (int cx = x0; cx <= x1; cx++) {
        int b = o[cy * cols + cx];
        if (b < 0 || b == self || b == ignore) {
          continue;
        }
        double dx = x - (cx + 0.5) * cell;
        double dy = y - qy;
        double d2 = dx * dx + dy * dy;
        if (d2 >= range2 || d2 < 1e-9) {
          continue;
        }
        crowd++;
        double d = Math.sqrt(d2);
        double w = 1.0 - d / range;
        w = w * w / d;
        pushX += dx * w;
        pushY += dy * w;
        if (-(dx * hx + dy * hy) > 0.3 * d && d < nearestAhead) {
          nearestAhead = d;
        }
      }
    }
  }
}
