package org.segflow.sample;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Grows the retinal vessel trees from the optic disc: superior and inferior temporal arcades that
 * curve around the macula (guided by a parabola, as in the parabolic arcade model), nasal trunks,
 * a few small vessels straight from the disc, and recursive side branches. Widths follow Murray's
 * law at every branch point (r^3 = r1^3 + r2^3) and branch angles its optimum; vessels taper,
 * wander (a smooth random curvature), keep apart from vessels of their own kind and end in thin
 * terminal segments, at the FOV rim or at the foveal avascular zone.
 */
final class VesselTreeGrower {

  private enum Guide { ARCADE, RADIAL, FREE }

  /** A branch waiting to grow; arcade trunks follow an ellipse of semi-axes (a along u, b along v). */
  private record Sprout(int parent, int generation, VesselKind kind, Guide guide, double x,
      double y, double heading, double radius, double arcadeA, double arcadeB, int arcadeSide) {}

  private static final int MAX_BRANCHES = 6000;
  /** Smallest half-width (px) of a trunk, above {@link VesselRasterizer#VANISHING}. */
  private static final double TRUNK_FLOOR = 0.3;

  private final FundusGeometry g;
  private final CaseStyle style;
  private final SplittableRandom rnd;
  private final double s;
  private final double rMin;
  private final double step;
  private final double spacing;
  private final OccupancyGrid grid;
  private final List<VesselBranch> branches = new ArrayList<>();
  private final ArrayDeque<Sprout> queue = new ArrayDeque<>();
  // unit vectors of the disc-fovea frame: u towards the fovea, v towards the superior side (-y)
  private final double ux;
  private final double uy;
  private final double vx;
  private final double vy;

  VesselTreeGrower(FundusGeometry g, CaseStyle style, SplittableRandom rnd) {
    this.g = g;
    this.style = style;
    this.rnd = rnd;
    this.s = g.scale();
    this.rMin = 0.65 * s;
    this.step = Math.max(0.75, Math.min(2.5, 1.5 * s));
    this.spacing = Math.max(3.0, 6.5 * s * style.spacing());
    this.grid = new OccupancyGrid(g.height(), g.width(), Math.max(1.5, 3.0 * s));
    double dx = g.foveaX() - g.discX();
    double dy = g.foveaY() - g.discY();
    double d = Math.sqrt(dx * dx + dy * dy);
    ux = dx / d;
    uy = dy / d;
    double px = uy;
    double py = -ux;
    if (py > 0) {
      px = -px;
      py = -py;
    }
    vx = px;
    vy = py;
  }

  /** The grown branches; index = id, parents before children. */
  List<VesselBranch> grow() {
    plantTrunks();
    while (!queue.isEmpty() && branches.size() < MAX_BRANCHES) {
      growBranch(queue.pollFirst());
    }
    return branches;
  }

  private void plantTrunks() {
    double discToFovea = StrictMath.hypot(g.foveaX() - g.discX(), g.foveaY() - g.discY());
    for (int sideSign : new int[] {1, -1}) {
      // temporal arcades: vein and artery leave the disc along +-v and curve around the macula
      // on an ellipse centred near the fovea (half axes: disc-fovea distance, and about as much)
      double a = discToFovea * Randoms.uniform(rnd, 0.9, 1.1);
      double b = a * Randoms.uniform(rnd, 0.65, 0.9);
      plantArcade(VesselKind.VEIN, sideSign, a, b, Randoms.uniform(rnd, 3.3, 4.0));
      plantArcade(VesselKind.ARTERY, sideSign, a * Randoms.uniform(rnd, 0.85, 1.15),
          b * Randoms.uniform(rnd, 0.8, 1.2), Randoms.uniform(rnd, 2.4, 2.9));
      // nasal trunks leave away from the fovea, up or down
      plantNasal(VesselKind.VEIN, sideSign, Randoms.uniform(rnd, 2.3, 3.0));
      plantNasal(VesselKind.ARTERY, sideSign, Randoms.uniform(rnd, 1.8, 2.3));
    }
    int small = Randoms.between(rnd, 2, 5);
    for (int i = 0; i < small; i++) {
      boolean macular = Randoms.chance(rnd, 0.5);
      double base = macular ? 0.0 : Math.PI;
      double ang = base + Randoms.uniform(rnd, -0.6, 0.6);
      double[] dir = frame(StrictMath.cos(ang), StrictMath.sin(ang));
      VesselKind kind = Randoms.chance(rnd, 0.5) ? VesselKind.ARTERY : VesselKind.VEIN;
      queue.add(sprout(-1, 0, kind, Guide.FREE, dir, Randoms.uniform(rnd, 0.9, 1.6) * s, 0, 0, 0));
    }
  }

  private void plantArcade(VesselKind kind, int sideSign, double a, double b, double radius) {
    double tilt = Randoms.uniform(rnd, -0.15, 0.25);
    double[] dir = frame(StrictMath.sin(tilt), sideSign * StrictMath.cos(tilt));
    queue.add(sprout(-1, 0, kind, Guide.ARCADE, dir, radius * s, a, b, sideSign));
  }

  private void plantNasal(VesselKind kind, int sideSign, double radius) {
    double ang = Randoms.uniform(rnd, 0.55, 1.25);
    double[] dir = frame(-StrictMath.cos(ang), sideSign * StrictMath.sin(ang));
    queue.add(sprout(-1, 0, kind, Guide.RADIAL, dir, radius * s, 0, 0, sideSign));
  }

  /**
   * A trunk starting in the cup, a little out along its own direction and to one side, so the
   * trunks touch (one tree) without piling up into a blob.
   */
  private Sprout sprout(int parent, int gen, VesselKind kind, Guide guide, double[] dir,
      double radius, double a, double b, int side) {
    double out = Randoms.uniform(rnd, 0.0, 0.3) * g.cupR();
    double lateral = Randoms.uniform(rnd, -0.25, 0.25) * g.cupR();
    double ox = g.cupX() + dir[0] * out - dir[1] * lateral;
    double oy = g.cupY() + dir[1] * out + dir[0] * lateral;
    return new Sprout(parent, gen, kind, guide, ox, oy, StrictMath.atan2(dir[1], dir[0]), radius, a,
        b, side);
  }

  /** A direction given in the (u = towards fovea, v = superior) frame, as image x, y. */
  private double[] frame(double cu, double cv) {
    return new double[] {cu * ux + cv * vx, cu * uy + cv * vy};
  }

  private void growBranch(Sprout sp) {
    VesselBranch b = new VesselBranch(branches.size(), sp.parent(), sp.generation(), sp.kind());
    branches.add(b);
    if (sp.parent() >= 0) {
      branches.get(sp.parent()).children++;
    }
    boolean trunk = sp.parent() < 0;
    // in tiny images the trunks stay at least a faint one-pixel line, so no label is ever empty
    double floor = trunk ? Math.max(rMin, TRUNK_FLOOR) : rMin;
    boolean free = sp.guide() == Guide.FREE;
    double x = sp.x();
    double y = sp.y();
    double theta = sp.heading();
    double r = sp.radius();
    double prefX = StrictMath.cos(theta);
    double prefY = StrictMath.sin(theta);
    double taper = switch (sp.guide()) {
      case ARCADE -> Randoms.uniform(rnd, 600, 900) * s;
      case RADIAL -> Randoms.uniform(rnd, 350, 550) * s;
      case FREE -> Randoms.uniform(rnd, 200, 400) * s;
    };
    double guideLength = switch (sp.guide()) {
      case ARCADE -> 22 * s;
      case RADIAL -> 70 * s;
      case FREE -> 30 * s;
    };
    double terminalLength = Randoms.uniform(rnd, 40, 180) * s;
    double maxLength = (trunk ? 900 : 420) * s;
    double corrLength = 22 * s;
    double rho = StrictMath.exp(-step / corrLength);
    double kick = Math.sqrt(1 - rho * rho);
    double curvature = 0;
    double len = 0;
    double lenAtMin = -1;
    double lastBranch = 0;
    double bareLength = trunk ? 0.6 * g.discRx() : 0;
    double fovLimit = 1.0 + 2.0 / g.fovRx();
    fovLimit *= fovLimit;

    // trunks start narrow and faint in the cup, where the vessels dive into the nerve head
    b.add(x, y, trunk ? 0.6 * r : r, trunk ? 0.6 : 1.0);
    grid.mark(x, y, sp.kind(), b.id);
    for (int guard = 0; guard < 100_000; guard++) {
      double hx = StrictMath.cos(theta);
      double hy = StrictMath.sin(theta);
      // where the vessel would like to go
      double tx;
      double ty;
      switch (sp.guide()) {
        case ARCADE -> {
          // position relative to the ellipse centre, normalised by the half axes
          double a = sp.arcadeA();
          double bb = sp.arcadeB();
          double du = (x - g.discX()) * ux + (y - g.discY()) * uy - a;
          double dv = sp.arcadeSide() * ((x - g.discX()) * vx + (y - g.discY()) * vy);
          double nu = du / a;
          double nv = Math.max(dv, 0) / bb;
          double psi = StrictMath.atan2(nv, nu);
          // tangent when travelling from the disc (psi = pi) over the top (pi/2) to the far side
          double tu = a * StrictMath.sin(psi);
          double tv = -bb * StrictMath.cos(psi);
          double tn = Math.sqrt(tu * tu + tv * tv);
          tu /= tn;
          tv /= tn;
          // steer back towards the ellipse when off it (outward normal ~ (nu / a, nv / b))
          double off = Math.sqrt(nu * nu + nv * nv) - 1.0;
          double nx = nu / a;
          double ny = nv / bb;
          double nn = Math.sqrt(nx * nx + ny * ny);
          double pull = Math.max(-1.2, Math.min(1.2, -off * 6.0));
          tu += pull * nx / nn;
          tv += pull * ny / nn;
          tx = tu * ux + tv * sp.arcadeSide() * vx;
          ty = tu * uy + tv * sp.arcadeSide() * vy;
          if (psi < 1.3) {
            // past the macula the arcade stops bending around it and runs on to the periphery
            double[] rad = unit(x - g.discX(), y - g.discY());
            tx = rad[0] + 2.0 * hx;
            ty = rad[1] + 2.0 * hy;
          }
        }
        case RADIAL -> {
          double[] rad = unit(x - g.discX(), y - g.discY());
          tx = prefX + 0.6 * rad[0];
          ty = prefY + 0.6 * rad[1];
        }
        default -> {
          double[] flow = flow(x, y);
          tx = flow[0] + 0.5 * hx;
          ty = flow[1] + 0.5 * hy;
        }
      }
      double[] t = unit(tx, ty);
      // keep away from vessels of the same kind; arteries and veins only mildly avoid each other
      int ignore = len < 2.5 * spacing ? sp.parent() : -1;
      // a wide probe: vessels are pushed towards empty retina, not only off their neighbours
      double range = 2.5 * spacing + r;
      grid.probe(x, y, hx, hy, range, sp.kind(), b.id, ignore);
      double pushX = grid.pushX;
      double pushY = grid.pushY;
      double ahead = grid.nearestAhead;
      boolean empty = grid.crowd == 0;
      VesselKind other = sp.kind() == VesselKind.ARTERY ? VesselKind.VEIN : VesselKind.ARTERY;
      grid.probe(x, y, hx, hy, 0.7 * range, other, b.id, -1);
      pushX += 0.6 * grid.pushX;
      pushY += 0.6 * grid.pushY;
      // thin vessels of the two trees interleave; only larger ones cross each other
      ahead = Math.min(ahead, r < 1.5 * rMin ? 1.4 * grid.nearestAhead : Double.POSITIVE_INFINITY);
      // inside the macula small vessels run straight for the fovea like spokes and stop when
      // they meet others; elsewhere thin vessels give way most
      boolean macular = free && g.distanceToFovea(x, y) < 0.6 * g.fovRx();
      double avoid = (!free ? 0.25 : macular ? 0.15 : r < 1.6 * rMin ? 1.0 : 0.5) * spacing / 4.0;
      double[] want = unit(t[0] + avoid * pushX, t[1] + avoid * pushY);
      double gain = Math.min(1.0, step / (macular ? 0.5 * guideLength : guideLength));

      double curvStd = style.tortuosity() * (0.008 + 0.020 / (1.0 + r / s)) / s;
      curvature = rho * curvature + kick * curvStd * Randoms.gaussian(rnd);
      double turn = angleBetween(hx, hy, want[0], want[1]);
      theta += curvature * step + turn * gain;

      x += step * StrictMath.cos(theta);
      y += step * StrictMath.sin(theta);
      len += step;
      r = Math.max(floor, r * StrictMath.exp(-step / taper));

      if (g.fovRadius2(x, y) > fovLimit) {
        b.add(x, y, r, 1.0);
        b.endsInside = false;
        break;
      }
      if (g.distanceToFovea(x, y) < g.fazRadius() * (trunk ? 1.6 : 1.0)) {
        b.endsInside = true;
        break;
      }
      if (free && len > 1.5 * spacing && ahead < 0.6 * spacing) {
        b.endsInside = true;
        break;
      }
      if (r <= rMin * 1.0001) {
        if (lenAtMin < 0) {
          lenAtMin = len;
        } else if (len - lenAtMin > terminalLength && !empty) {
          // thin vessels end where the retina around them is already supplied
          b.endsInside = true;
          break;
        }
      }
      if (len > maxLength) {
        b.endsInside = true;
        break;
      }
      double emerge = trunk ? Math.min(1.0, len / g.cupR()) : 1.0;
      b.add(x, y, r * (0.6 + 0.4 * emerge), 0.6 + 0.4 * emerge);
      grid.mark(x, y, sp.kind(), b.id);

      // side branches
      boolean thin = r <= rMin * 1.6;
      double meanGap = (thin ? 80 : 14 + 9 * r / s) * s * style.spacing() / style.branchiness();
      boolean canBranch = (!thin || sp.generation() < 6) && len > bareLength
          && len - lastBranch > 6 * s;
      if (canBranch && Randoms.chance(rnd, (empty ? 2.0 : 1.0) * step / meanGap)) {
        lastBranch = len;
        // branch mostly towards the emptier side (where the repulsion points)
        double cross = hx * pushY - hy * pushX;
        int sideSign = cross != 0 && Randoms.chance(rnd, 0.75) ? (cross > 0 ? 1 : -1)
            : Randoms.sign(rnd);
        if (thin) {
          // the finest vessels fork symmetrically into a narrow Y
          double half = Randoms.uniform(rnd, 0.25, 0.55);
          queue.add(new Sprout(b.id, sp.generation() + 1, sp.kind(), Guide.FREE, x, y,
              theta + sideSign * half, rMin, 0, 0, 0));
          theta -= sideSign * half;
        } else {
          // branches into the macula are small; trunks lose little to each side branch
          double side = theta + sideSign * 1.0;
          boolean intoMacula = StrictMath.cos(side) * (g.foveaX() - x)
              + StrictMath.sin(side) * (g.foveaY() - y) > 0 && sp.guide() == Guide.ARCADE;
          double f = intoMacula ? Randoms.uniform(rnd, 0.25, 0.5)
              : Randoms.chance(rnd, 0.15) ? Randoms.uniform(rnd, 0.72, 0.85)
              : trunk ? Randoms.uniform(rnd, 0.25, 0.6) : Randoms.uniform(rnd, 0.4, 0.8);
          double rd = Math.max(rMin, f * r);
          double rc = Math.max(floor,
              StrictMath.cbrt(Math.max(r * r * r - rd * rd * rd, rMin * rMin * rMin)));
          double r2 = r * r;
          double alphaD = StrictMath.acos(clamp((r2 * r2 + pow4(rd) - pow4(rc)) / (2 * r2 * rd * rd)));
          double alphaC = StrictMath.acos(clamp((r2 * r2 + pow4(rc) - pow4(rd)) / (2 * r2 * rc * rc)));
          alphaD = Math.max(0.4, Math.min(1.3, alphaD + Randoms.uniform(rnd, -0.2, 0.2)));
          queue.add(new Sprout(b.id, sp.generation() + 1, sp.kind(), Guide.FREE, x, y,
              theta + sideSign * alphaD, rd, 0, 0, 0));
          theta -= sideSign * alphaC * (free ? 0.8 : 0.4);
          r = rc;
        }
      }
    }
    if (b.endsInside) {
      fadeOut(b);
    }
  }

  /**
   * The direction small vessels drift to, after the course of the nerve fibres they run with:
   * radially away from the disc, arching around the macula on the temporal side (meeting at the
   * horizontal raphe), and converging on the fovea inside the macula.
   */
  private double[] flow(double x, double y) {
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
    double discToFovea = StrictMath.hypot(g.foveaX() - g.discX(), g.foveaY() - g.discY());
    double temporal = (x - g.discX()) * ux + (y - g.discY()) * uy;
    double arc = ProfileTable.smoothstep(0.2 * discToFovea, 0.8 * discToFovea, temporal)
        * (1 - ProfileTable.smoothstep(1.3 * discToFovea, 1.9 * discToFovea, df));
    double mac = 1.0 - ProfileTable.smoothstep(0.42, 0.68, df / g.fovRx());
    double ox = (1 - arc) * rad[0] + arc * tanX;
    double oy = (1 - arc) * rad[1] + arc * tanY;
    double[] o = unit(ox, oy);
    return unit((1 - mac) * o[0] - mac * fx / df, (1 - mac) * o[1] - mac * fy / df);
  }

  /** Terminal vessels fade out in the image before their labelled end. */
  private void fadeOut(VesselBranch b) {
    double length = b.length();
    double invisible = Randoms.uniform(rnd, 1.5, 5.0) * s;
    double fade = Math.min(Randoms.uniform(rnd, 12, 35) * s, 0.6 * length);
    double fromEnd = 0;
    for (int i = b.size - 1; i >= 0; i--) {
      if (i < b.size - 1) {
        double dx = b.x[i + 1] - b.x[i];
        double dy = b.y[i + 1] - b.y[i];
        fromEnd += Math.sqrt(dx * dx + dy * dy);
      }
      if (fromEnd > invisible + fade) {
        break;
      }
      b.contrast[i] *= (float) ProfileTable.smoothstep(invisible, invisible + fade, fromEnd);
    }
  }

  private static double[] unit(double x, double y) {
    double d = Math.sqrt(x * x + y * y);
    return d < 1e-12 ? new double[] {1, 0} : new double[] {x / d, y / d};
  }

  /** Signed angle from (ax, ay) to (bx, by), both unit vectors. */
  private static double angleBetween(double ax, double ay, double bx, double by) {
    return StrictMath.atan2(ax * by - ay * bx, ax * bx + ay * by);
  }

  private static double clamp(double c) {
    return Math.max(-1, Math.min(1, c));
  }

  private static double pow4(double v) {
    double v2 = v * v;
    return v2 * v2;
  }
}
