package org.segflow.sample;

/**
 * Turns vessel centrelines into pixels. The label is the binary union of capsules: a pixel is
 * vessel when its centre lies within the half-width of the nearest centreline point. The image
 * gets a smooth cross-section (half maximum at the labelled edge, widened by the optics' blur)
 * as optical density, which the renderer turns into darker, redder pixels.
 *
 * <p>Radii are physical half-widths in pixels of this image. In small images a vessel can be
 * thinner than a pixel: it is then labelled as the thinnest line that stays connected
 * ({@link #THINNEST_LABEL}) and drawn correspondingly fainter, and one thinner than
 * {@link #VANISHING} is neither labelled nor visible, as when a photograph is downsampled.
 */
final class VesselRasterizer {

  /** Half-width of a one-pixel line: every column (or row) has a pixel centre within it. */
  static final double THINNEST_LABEL = 0.55;
  /** Vessels narrower than half a pixel disappear in the pixel grid. */
  static final double VANISHING = 0.25;
  /** Half-width (in DRIVE-scale pixels) at which a vessel shows about 60 % of a wide one's density. */
  private static final double VISIBLE_RADIUS = 2.0;
  /** Optical blur (DRIVE-scale pixels) that makes hair-thin vessels still show a little. */
  private static final double NOMINAL_BLUR = 0.75;
  private static final double LN2 = StrictMath.log(2.0);
  /** How far (px) a painted chord may deviate from the centreline points it skips. */
  private static final double CHORD_TOLERANCE = 0.1;
  /** Profiles are cut where they fall below ~0.4 % (t = (d / r)^2 = 8). */
  private static final double PROFILE_EXTENT2 = 8.0;

  private final int height;
  private final int width;
  private final int[] stamp;
  private int stampId;

  VesselRasterizer(int height, int width) {
    this.height = height;
    this.width = width;
    this.stamp = new int[height * width];
  }

  /** Pixels inside the FOV labelled by points {@code from..} of the branch, each listed once. */
  int[] labelPixels(VesselBranch b, int from, byte[] mask) {
    IntList out = new IntList();
    int id = ++stampId;
    int first = Math.max(0, from);
    if (first >= b.size) {
      return out.toArray();
    }
    int segments = Math.max(1, b.size - 1 - first);
    for (int i = first; i < first + segments; i++) {
      int j = Math.min(i + 1, b.size - 1);
      double x0 = b.x[i];
      double y0 = b.y[i];
      double x1 = b.x[j];
      double y1 = b.y[j];
      double r0 = labelRadius(b.radius[i]);
      double r1 = labelRadius(b.radius[j]);
      double rmax = Math.max(r0, r1);
      if (rmax == 0) {
        continue;
      }
      int px0 = Math.max(0, (int) Math.ceil(Math.min(x0, x1) - rmax));
      int px1 = Math.min(width - 1, (int) Math.floor(Math.max(x0, x1) + rmax));
      int py0 = Math.max(0, (int) Math.ceil(Math.min(y0, y1) - rmax));
      int py1 = Math.min(height - 1, (int) Math.floor(Math.max(y0, y1) + rmax));
      double ex = x1 - x0;
      double ey = y1 - y0;
      double len2 = ex * ex + ey * ey;
      for (int py = py0; py <= py1; py++) {
        int row = py * width;
        for (int px = px0; px <= px1; px++) {
          int p = row + px;
          if (stamp[p] == id || mask[p] == 0) {
            continue;
          }
          double qx = px - x0;
          double qy = py - y0;
          double t = len2 > 0 ? Math.max(0, Math.min(1, (qx * ex + qy * ey) / len2)) : 0;
          double dx = qx - t * ex;
          double dy = qy - t * ey;
          double rr = r0 + t * (r1 - r0);
          if (dx * dx + dy * dy <= rr * rr) {
            stamp[p] = id;
            out.add(p);
          }
        }
      }
    }
    return out.toArray();
  }

  /**
   * Peak density of a vessel of physical half-width {@code physical} drawn with half-width
   * {@code drawn}: thin vessels hold less blood, and one narrower than a pixel is spread thinner.
   */
  private static double strength(double physical, double drawn, double scale) {
    double drive = physical / scale;
    double full = 1.0 - ProfileTable.negExp(
        (drive * drive + NOMINAL_BLUR * NOMINAL_BLUR) / (VISIBLE_RADIUS * VISIBLE_RADIUS));
    return full * Math.min(1.0, physical / drawn);
  }

  static double labelRadius(double r) {
    return r < VANISHING ? 0 : Math.max(r, THINNEST_LABEL);
  }

  /**
   * Paints the branch's optical density into {@code od} (maximum with what is there, so a branch
   * and its parent do not add up at the junction).
   *
   * @param psf standard deviation of the optical blur in pixels
   * @param reflex depth of the central light reflex on wide vessels (0 = none)
   * @param scale image scale relative to DRIVE: thin vessels are fainter in proportion to their
   *     width at DRIVE scale, as in real photographs
   */
  void paintDensity(VesselBranch b, float[] od, double psf, double reflex, double scale) {
    double psf2 = psf * psf;
    int i = 0;
    while (i < b.size) {
      int j = chordEnd(b, i, psf2);
      if (b.contrast[i] <= 0f && b.contrast[j] <= 0f) {
        if (j == i) {
          break;
        }
        i = j;
        continue;
      }
      double x0 = b.x[i];
      double y0 = b.y[i];
      double ex = b.x[j] - x0;
      double ey = b.y[j] - y0;
      double len2 = ex * ex + ey * ey;
      double r0 = Math.max(b.radius[i], THINNEST_LABEL);
      double r1 = Math.max(b.radius[j], THINNEST_LABEL);
      double p0 = b.radius[i];
      double p1 = b.radius[j];
      // density at the two ends (contrast x width-dependent strength), interpolated in between
      double v0 = b.contrast[i] * strength(p0, r0, scale);
      double v1 = b.contrast[j] * strength(p1, r1, scale);
      double drive = 0.5 * (p0 + p1) / scale;
      double flat = Math.max(0, Math.min(1, (drive - 1.0) / 2.5));
      double depth = reflex > 0 && drive > 1.5 ? reflex * Math.min(1.0, (drive - 1.5) / 1.5) : 0;
      double reach = Math.sqrt(PROFILE_EXTENT2 * (Math.max(r0, r1) * Math.max(r0, r1) + psf2));
      int px0 = Math.max(0, (int) Math.ceil(Math.min(x0, x0 + ex) - reach));
      int px1 = Math.min(width - 1, (int) Math.floor(Math.max(x0, x0 + ex) + reach));
      int py0 = Math.max(0, (int) Math.ceil(Math.min(y0, y0 + ey) - reach));
      int py1 = Math.min(height - 1, (int) Math.floor(Math.max(y0, y0 + ey) + reach));
      for (int py = py0; py <= py1; py++) {
        int row = py * width;
        for (int px = px0; px <= px1; px++) {
          double qx = px - x0;
          double qy = py - y0;
          double t = len2 > 0 ? Math.max(0, Math.min(1, (qx * ex + qy * ey) / len2)) : 0;
          double dx = qx - t * ex;
          double dy = qy - t * ey;
          double d2 = dx * dx + dy * dy;
          double r = r0 + t * (r1 - r0);
          double u = d2 / (r * r + psf2);
          if (u >= PROFILE_EXTENT2) {
            continue;
          }
          double shape = flat == 0 ? ProfileTable.negExp(LN2 * u)
              : (1 - flat) * ProfileTable.negExp(LN2 * u) + flat * ProfileTable.flatProfile(u);
          double v = (v0 + t * (v1 - v0)) * shape;
          if (depth > 0) {
            double w = 0.22 * r;
            v *= 1.0 - depth * ProfileTable.negExp(d2 / (2 * w * w));
          }
          int p = row + px;
          if (v > od[p]) {
            od[p] = (float) v;
          }
        }
      }
      if (j == i) {
        break;
      }
      i = j;
    }
  }

  /**
   * The last point after {@code i} that can be reached by one straight chord: no skipped point
   * is more than {@link #CHORD_TOLERANCE} px off it and it is not longer than the
   * profile's reach. Painting chords instead of the short growth steps visits each pixel a few
   * times instead of a dozen; the image still follows the labelled centreline to a tenth of a
   * pixel.
   */
  private static int chordEnd(VesselBranch b, int i, double psf2) {
    if (i >= b.size - 1) {
      return i;
    }
    int j = i + 1;
    while (j + 1 < b.size) {
      int k = j + 1;
      double ex = b.x[k] - b.x[i];
      double ey = b.y[k] - b.y[i];
      double len2 = ex * ex + ey * ey;
      double r = Math.max(Math.max(b.radius[i], b.radius[k]), THINNEST_LABEL);
      if (len2 > PROFILE_EXTENT2 * (r * r + psf2) || len2 == 0) {
        break;
      }
      boolean straight = true;
      for (int m = i + 1; m < k && straight; m++) {
        double cross = (b.x[m] - b.x[i]) * ey - (b.y[m] - b.y[i]) * ex;
        straight = cross * cross <= CHORD_TOLERANCE * CHORD_TOLERANCE * len2;
      }
      if (!straight) {
        break;
      }
      j = k;
    }
    return j;
  }
}
