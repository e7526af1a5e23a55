package org.segflow.sample;

import java.util.SplittableRandom;

/**
 * Unlabelled distractors of a diseased or ageing retina: dark microaneurysms and blot
 * haemorrhages (which look like bits of vessel), bright hard exudates, drusen and cotton-wool
 * spots. Many cases get none, as in a screening set.
 */
final class LesionPainter {

  private final FundusGeometry g;
  private final SplittableRandom rnd;
  private final float[] dark;
  private final float[] bright;
  private final double s;

  /**
   * @param dark optical density added like blood (the renderer uses vein colours)
   * @param bright relative brightening (yellow-white)
   */
  LesionPainter(FundusGeometry g, SplittableRandom rnd, float[] dark, float[] bright) {
    this.g = g;
    this.rnd = rnd;
    this.dark = dark;
    this.bright = bright;
    this.s = g.scale();
  }

  void paint() {
    int microaneurysms = Randoms.chance(rnd, 0.5) ? 0 : Randoms.between(rnd, 1, 8);
    for (int i = 0; i < microaneurysms; i++) {
      double[] p = place(0.85);
      blob(dark, p[0], p[1], Randoms.uniform(rnd, 0.8, 1.8) * s, Randoms.uniform(rnd, 0.35, 0.75),
          0.6 * Math.max(s, 0.6), 0.05);
    }
    int haemorrhages = Randoms.chance(rnd, 0.6) ? 0 : Randoms.between(rnd, 1, 4);
    for (int i = 0; i < haemorrhages; i++) {
      double[] p = place(0.85);
      double r = Randoms.uniform(rnd, 3, 11) * s;
      blob(dark, p[0], p[1], r, Randoms.uniform(rnd, 0.35, 0.8), Math.max(0.25 * r, 0.8), 0.25);
    }
    int exudateClusters = Randoms.chance(rnd, 0.7) ? 0 : Randoms.between(rnd, 1, 2);
    for (int c = 0; c < exudateClusters; c++) {
      double[] centre = place(0.75);
      int spots = Randoms.between(rnd, 3, 16);
      for (int i = 0; i < spots; i++) {
        double x = centre[0] + Randoms.gaussian(rnd) * 14 * s;
        double y = centre[1] + Randoms.gaussian(rnd) * 14 * s;
        blob(bright, x, y, Randoms.uniform(rnd, 0.8, 3.5) * s, Randoms.uniform(rnd, 0.4, 0.9),
            0.5 * Math.max(s, 0.6), 0.3);
      }
    }
    if (Randoms.chance(rnd, 0.3)) {
      int drusen = Randoms.between(rnd, 3, 14);
      for (int i = 0; i < drusen; i++) {
        double x = g.foveaX() + Randoms.gaussian(rnd) * 45 * s;
        double y = g.foveaY() + Randoms.gaussian(rnd) * 45 * s;
        double r = Randoms.uniform(rnd, 1.5, 4.0) * s;
        blob(bright, x, y, r, Randoms.uniform(rnd, 0.12, 0.30), 0.6 * r, 0.1);
      }
    }
    int cottonWool = Randoms.chance(rnd, 0.8) ? 0 : Randoms.between(rnd, 1, 2);
    for (int i = 0; i < cottonWool; i++) {
      double[] p = place(0.7);
      double r = Randoms.uniform(rnd, 6, 14) * s;
      blob(bright, p[0], p[1], r, Randoms.uniform(rnd, 0.2, 0.4), 0.5 * r, 0.3);
    }
  }

  /** A random point inside the given fraction of the FOV, away from the optic disc. */
  private double[] place(double within) {
    for (int attempt = 0; attempt < 50; attempt++) {
      double x = g.fovX() + Randoms.uniform(rnd, -1, 1) * g.fovRx() * within;
      double y = g.fovY() + Randoms.uniform(rnd, -1, 1) * g.fovRy() * within;
      double dx = (x - g.discX()) / g.discRx();
      double dy = (y - g.discY()) / g.discRy();
      if (g.fovRadius2(x, y) < within * within && dx * dx + dy * dy > 2.0) {
        return new double[] {x, y};
      }
    }
    return new double[] {g.foveaX(), g.foveaY()};
  }

  /**
   * An irregular soft-edged spot: its radius varies with the angle by a few random harmonics
   * ({@code irregularity} is their relative size); {@code map} keeps the maximum.
   */
  private void blob(float[] map, double cx, double cy, double radius, double amplitude,
      double soft, double irregularity) {
    double[] a = new double[5];
    double[] phase = new double[5];
    for (int k = 2; k <= 4; k++) {
      a[k] = irregularity * Randoms.uniform(rnd, 0, 1) / (k - 1);
      phase[k] = Randoms.uniform(rnd, 0, 2 * Math.PI);
    }
    double reach = radius * (1 + 2 * irregularity) + 2 * soft + 1;
    int w = g.width();
    int x0 = Math.max(0, (int) Math.floor(cx - reach));
    int x1 = Math.min(w - 1, (int) Math.ceil(cx + reach));
    int y0 = Math.max(0, (int) Math.floor(cy - reach));
    int y1 = Math.min(g.height() - 1, (int) Math.ceil(cy + reach));
    double[] cosP = new double[5];
    double[] sinP = new double[5];
    for (int k = 2; k <= 4; k++) {
      cosP[k] = StrictMath.cos(phase[k]);
      sinP[k] = StrictMath.sin(phase[k]);
    }
    for (int y = y0; y <= y1; y++) {
      for (int x = x0; x <= x1; x++) {
        double dx = x - cx;
        double dy = y - cy;
        double d = Math.sqrt(dx * dx + dy * dy);
        double edge = radius;
        if (d > 1e-9) {
          // cos(k*phi + phase) from the unit vector by complex powers, no per-pixel atan2
          double c1 = dx / d;
          double s1 = dy / d;
          double ck = c1;
          double sk = s1;
          for (int k = 2; k <= 4; k++) {
            double nc = ck * c1 - sk * s1;
            double ns = sk * c1 + ck * s1;
            ck = nc;
            sk = ns;
            edge += radius * a[k] * (ck * cosP[k] - sk * sinP[k]);
          }
        }
        double v = amplitude * (1 - ProfileTable.smoothstep(edge - soft, edge + soft, d));
        int p = y * w + x;
        if (v > map[p]) {
          map[p] = (float) v;
        }
      }
    }
  }
}
