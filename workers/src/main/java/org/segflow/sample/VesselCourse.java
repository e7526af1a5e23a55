package org.segflow.sample;

/**
 * Where vessels head for, as a function of position: the course of the temporal arcades around
 * the macula, and the general drift of smaller vessels (they follow the nerve fibres: radially
 * away from the disc, arching around the macula temporally, converging on the fovea inside it).
 * Directions are unit vectors in image coordinates.
 */
final class VesselCourse {

  private final FundusGeometry g;
  private final double discToFovea;
  // the disc-fovea frame: u towards the fovea, v towards the superior side (-y)
  private final double ux;
  private final double uy;
  private final double vx;
  private final double vy;

  VesselCourse(FundusGeometry g) {
    this.g = g;
    double dx = g.foveaX() - g.discX();
    double dy = g.foveaY() - g.discY();
    this.discToFovea = Math.sqrt(dx * dx + dy * dy);
    ux = dx / discToFovea;
    uy = dy / discToFovea;
    double px = uy;
    double py = -ux;
    if (py > 0) {
      px = -px;
      py = -py;
    }
    vx = px;
    vy = py;
  }

  double discToFovea() {
    return discToFovea;
  }

  /** A direction given in the (u = towards the fovea, v = superior) frame, as image x, y. */
  double[] frame(double cu, double cv) {
    return new double[] {cu * ux + cv * vx, cu * uy + cv * vy};
  }

  /**
   * An arcade leaves the disc along +-v and follows an ellipse centred about the fovea, with half
   * axes {@code a} (along u, the disc being its nasal vertex) and {@code b}, pulled back when it
   * strays; past the top of the macula it stops bending and runs on to the periphery.
   *
   * @param side +1 superior arcade, -1 inferior
   */
  double[] arcade(double x, double y, double hx, double hy, double a, double b, int side) {
    double du = (x - g.discX()) * ux + (y - g.discY()) * uy - a;
    double dv = side * ((x - g.discX()) * vx + (y - g.discY()) * vy);
    double nu = du / a;
    double nv = Math.max(dv, 0) / b;
    double psi = StrictMath.atan2(nv, nu);
    if (psi < 1.3) {
      double[] rad = unit(x - g.discX(), y - g.discY());
      return unit(rad[0] + 2.0 * hx, rad[1] + 2.0 * hy);
    }
    // tangent when travelling from the disc (psi = pi) over the top (pi/2) to the far side
    double tu = a * StrictMath.sin(psi);
    double tv = -b * StrictMath.cos(psi);
    double tn = Math.sqrt(tu * tu + tv * tv);
    tu /= tn;
    tv /= tn;
    // steer back towards the ellipse along its normal, ~ (nu / a, nv / b)
    double off = Math.sqrt(nu * nu + nv * nv) - 1.0;
    double nx = nu / a;
    double ny = nv / b;
    double nn = Math.sqrt(nx * nx + ny * ny);
    double pull = Math.max(-1.2, Math.min(1.2, -off * 6.0));
    tu += pull * nx / nn;
    tv += pull * ny / nn;
    return unit(tu * ux + tv * side * vx, tu * uy + tv * side * vy);
  }

  /** A nasal trunk keeps its initial direction, bent a little towards the radial one. */
  double[] radial(double x, double y, double prefX, double prefY) {
    double[] rad = unit(x - g.discX(), y - g.discY());
    return unit(prefX + 0.6 * rad[0], prefY + 0.6 * rad[1]);
  }

  /** The drift of smaller vessels (nerve-fibre course), blended with the current heading. */
  double[] drift(double x, double y, double hx, double hy) {
    double[] rad = unit(x - g.discX(), y - g.discY());
    double fx = x - g.foveaX();
    double fy = y - g.foveaY();
    double df = Math.sqrt(fx * fx + fy * fy) + 1e-9;
    double tanX = -fy / df;
    double tanY = fx / df;
    if (tanX * rad[0] + tanY * rad[1] < 0) {
      tanX = -tanX;
      tanY = -tanY;
    }
    double temporal = (x - g.discX()) * ux + (y - g.discY()) * uy;
    double arc = ProfileTable.smoothstep(0.2 * discToFovea, 0.8 * discToFovea, temporal)
        * (1 - ProfileTable.smoothstep(1.3 * discToFovea, 1.9 * discToFovea, df));
    double mac = 1.0 - ProfileTable.smoothstep(0.42, 0.68, df / g.fovRx());
    double[] o = unit((1 - arc) * rad[0] + arc * tanX, (1 - arc) * rad[1] + arc * tanY);
    double[] f = unit((1 - mac) * o[0] - mac * fx / df, (1 - mac) * o[1] - mac * fy / df);
    return unit(f[0] + 0.5 * hx, f[1] + 0.5 * hy);
  }

  static double[] unit(double x, double y) {
    double d = Math.sqrt(x * x + y * y);
    return d < 1e-12 ? new double[] {1, 0} : new double[] {x / d, y / d};
  }
}
