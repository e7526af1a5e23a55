package org.segflow.sample;

import java.util.SplittableRandom;

/**
 * Where things are in one case: the field-of-view ellipse, the optic disc (with its cup), the
 * fovea and its avascular zone. Lengths are pixels; {@code scale} is the FOV radius relative to
 * DRIVE's (270 px at 565x584), and every size in the generator is multiplied by it.
 *
 * @param side +1 when the optic disc is right of the centre (a right eye as photographed), -1 left
 */
record FundusGeometry(
    int height,
    int width,
    double scale,
    double fovX,
    double fovY,
    double fovRx,
    double fovRy,
    int side,
    double discX,
    double discY,
    double discRx,
    double discRy,
    double cupX,
    double cupY,
    double cupR,
    double foveaX,
    double foveaY,
    double fazRadius) {

  /** DRIVE's FOV radius in pixels at 565x584 (a disc of about 540x536). */
  static final double DRIVE_FOV_RADIUS = 270.0;

  static FundusGeometry sample(int height, int width, SplittableRandom rnd) {
    double base = Math.min(width * (DRIVE_FOV_RADIUS / 565.0), height * (DRIVE_FOV_RADIUS / 584.0));
    base = Math.min(base, Math.min(width, height) / 2.0 - 1.0);
    double s = base / DRIVE_FOV_RADIUS;
    double rx = base * Randoms.uniform(rnd, 0.985, 1.0);
    double ry = rx * Randoms.uniform(rnd, 0.985, 0.998);
    double cx = (width - 1) / 2.0 + Randoms.uniform(rnd, -1, 1) * s;
    double cy = (height - 1) / 2.0 + Randoms.uniform(rnd, -1, 1) * s;

    int side = Randoms.sign(rnd);
    double discRx = Randoms.uniform(rnd, 34, 41) * s;
    double discRy = discRx * Randoms.uniform(rnd, 1.04, 1.14);
    double discX = cx + side * Randoms.uniform(rnd, 0.50, 0.66) * rx;
    double discY = cy + Randoms.uniform(rnd, -0.10, 0.08) * ry;
    double cupR = discRx * Randoms.uniform(rnd, 0.30, 0.50);
    // the cup sits a little temporal (towards the fovea) of the disc centre
    double cupX = discX - side * Randoms.uniform(rnd, 0.0, 0.25) * discRx;
    double cupY = discY + Randoms.uniform(rnd, -0.15, 0.15) * discRy;

    double discDiameter = 2 * discRx;
    double foveaX = discX - side * Randoms.uniform(rnd, 2.3, 2.7) * discDiameter;
    double foveaY = discY + Randoms.uniform(rnd, 0.0, 0.35) * discDiameter;
    double faz = Randoms.uniform(rnd, 22, 34) * s;
    return new FundusGeometry(height, width, s, cx, cy, rx, ry, side, discX, discY, discRx, discRy,
        cupX, cupY, cupR, foveaX, foveaY, faz);
  }

  /** Squared normalised elliptical radius: below 1 inside the FOV. */
  double fovRadius2(double x, double y) {
    double u = (x - fovX) / fovRx;
    double v = (y - fovY) / fovRy;
    return u * u + v * v;
  }

  /** Pixel centres inside the ellipse form the FOV mask. */
  boolean insideFov(double x, double y) {
    return fovRadius2(x, y) <= 1.0;
  }

  /** The FOV mask, row-major: 255 where the pixel centre lies inside the ellipse, else 0. */
  byte[] fovMask() {
    byte[] mask = new byte[height * width];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        if (insideFov(x, y)) {
          mask[y * width + x] = (byte) 255;
        }
      }
    }
    return mask;
  }

  double distanceToFovea(double x, double y) {
    return Math.hypot(x - foveaX, y - foveaY);
  }
}
