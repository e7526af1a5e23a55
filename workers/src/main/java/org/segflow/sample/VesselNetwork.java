package org.segflow.sample;

import java.util.List;
import java.util.SplittableRandom;

/**
 * The vessels of one case: grows the trees, thins them to the case's target vessel fraction by
 * removing terminal branches, detaches a few thin branches from their parents in the label (real
 * annotations have small separate fragments), then rasterises label and optical density from the
 * same geometry.
 *
 * @param label 0/255 per pixel, only inside the FOV
 * @param veinDensity optical density of veins per pixel (0 = none, about 1 = a wide vein's axis)
 * @param arteryDensity the same for arteries
 */
record VesselNetwork(List<VesselBranch> branches, byte[] label, float[] veinDensity,
    float[] arteryDensity) {

  /** Depth of the central light reflex: marked on wide arteries, faint on veins. */
  private static final double ARTERY_REFLEX = 0.35;
  private static final double VEIN_REFLEX = 0.12;

  static VesselNetwork build(FundusGeometry g, CaseStyle style, byte[] mask, SplittableRandom rnd) {
    List<VesselBranch> branches = new VesselTreeGrower(g, style, rnd.split()).grow();
    int h = g.height();
    int w = g.width();
    VesselRasterizer raster = new VesselRasterizer(h, w);
    int[][] pixels = new int[branches.size()][];
    char[] cover = new char[h * w];
    int area = 0;
    for (VesselBranch b : branches) {
      pixels[b.id] = raster.labelPixels(b, 0, mask);
      for (int p : pixels[b.id]) {
        if (cover[p]++ == 0) {
          area++;
        }
      }
    }
    int fov = 0;
    for (byte m : mask) {
      fov += m != 0 ? 1 : 0;
    }
    prune(branches, pixels, cover, area, (long) Math.round(style.targetVesselFraction() * fov),
        rnd.split());
    detachFragments(branches, style.fragments(), g.scale(), rnd.split());

    byte[] label = new byte[h * w];
    float[] vein = new float[h * w];
    float[] artery = new float[h * w];
    double s = g.scale();
    for (VesselBranch b : branches) {
      if (b.removed) {
        continue;
      }
      int[] px = b.labelStart == 0 ? pixels[b.id] : raster.labelPixels(b, b.labelStart, mask);
      for (int p : px) {
        label[p] = (byte) 255;
      }
      boolean isVein = b.kind == VesselKind.VEIN;
      raster.paintDensity(b, isVein ? vein : artery, style.psf(), isVein ? VEIN_REFLEX : ARTERY_REFLEX, s);
    }
    return new VesselNetwork(branches, label, vein, artery);
  }

  /** Removes random terminal branches (never trunks) until the labelled area reaches the target. */
  private static void prune(List<VesselBranch> branches, int[][] pixels, char[] cover, int area,
      long target, SplittableRandom rnd) {
    int[] leaves = new int[branches.size()];
    int n = 0;
    for (VesselBranch b : branches) {
      if (!b.isTrunk() && b.children == 0) {
        leaves[n++] = b.id;
      }
    }
    while (area > target && n > 0) {
      int k = Randoms.between(rnd, 0, n - 1);
      VesselBranch b = branches.get(leaves[k]);
      leaves[k] = leaves[--n];
      b.removed = true;
      for (int p : pixels[b.id]) {
        if (--cover[p] == 0) {
          area--;
        }
      }
      VesselBranch parent = branches.get(b.parent);
      if (--parent.children == 0 && !parent.isTrunk()) {
        leaves[n++] = parent.id;
      }
    }
  }

  /**
   * Leaves an unlabelled (and faint) gap between a few thin branches and their parents: the
   * branch, with whatever grows from it, becomes a separate component as in manual labels.
   */
  private static void detachFragments(List<VesselBranch> branches, int count, double scale,
      SplittableRandom rnd) {
    int[] candidates = new int[branches.size()];
    int n = 0;
    for (VesselBranch b : branches) {
      if (!b.removed && !b.isTrunk() && b.radius[0] <= 1.1 * scale && b.radius[0] >= VesselRasterizer.VANISHING
          && b.length() > 25 * scale) {
        candidates[n++] = b.id;
      }
    }
    for (int made = 0; made < count && n > 0; made++) {
      int k = Randoms.between(rnd, 0, n - 1);
      VesselBranch b = branches.get(candidates[k]);
      candidates[k] = candidates[--n];
      double gap = parentRadiusAt(branches.get(b.parent), b.x[0], b.y[0])
          + Randoms.uniform(rnd, 2.0, 5.0) * Math.max(1.0, scale);
      double len = 0;
      int i = 0;
      while (i < b.size - 1 && len < gap) {
        double dx = b.x[i + 1] - b.x[i];
        double dy = b.y[i + 1] - b.y[i];
        len += Math.sqrt(dx * dx + dy * dy);
        i++;
      }
      b.labelStart = i;
      for (int j = 0; j <= i && j < b.size; j++) {
        b.contrast[j] *= 0.3f;
      }
    }
  }

  private static double parentRadiusAt(VesselBranch parent, double x, double y) {
    double best = Double.POSITIVE_INFINITY;
    double r = 0;
    for (int i = 0; i < parent.size; i++) {
      double dx = parent.x[i] - x;
      double dy = parent.y[i] - y;
      double d = dx * dx + dy * dy;
      if (d < best) {
        best = d;
        r = parent.radius[i];
      }
    }
    return r;
  }
}
