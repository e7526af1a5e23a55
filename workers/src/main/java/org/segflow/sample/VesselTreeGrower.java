package org.segflow.sample;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Grows the retinal vessel trees from the optic disc: superior and inferior temporal arcades
 * (vein and artery each) curving around the macula, nasal trunks, a few small vessels straight
 * from the disc, and recursive side branches. Widths follow Murray's law at every branch point
 * (r^3 = r1^3 + r2^3) and branch angles its optimum; vessels taper, wander (a smooth random
 * curvature), keep apart from vessels of their own kind, branch towards empty retina and end
 * where the retina around them is supplied, at the FOV rim or at the foveal avascular zone.
 * Radii are physical half-widths in pixels.
 */
final class VesselTreeGrower {

  private enum Guide { ARCADE, RADIAL, DRIFT }

  /** A branch waiting to grow; arcades follow an ellipse of half axes a (along u) and b. */
  private record Sprout(int parent, int generation, VesselKind kind, Guide guide, double x,
      double y, double heading, double radius, double arcadeA, double arcadeB, int arcadeSide) {}

  /** The growing end of a branch. */
  private static final class Tip {
    double x;
    double y;
    double theta;
    double r;
    double len;
  }

  private static final int MAX_BRANCHES = 6000;
  /** Smallest half-width (px) of a trunk, above {@link VesselRasterizer#VANISHING}. */
  private static final double TRUNK_FLOOR = 0.3;
  /** Branches of the finest vessels stop after this many generations. */
  private static final int MAX_THIN_GENERATION = 6;

  private final FundusGeometry g;
  private final CaseStyle style;
  private final SplittableRandom rnd;
  private final VesselCourse course;
  private final double s;
  private final double rMin;
  private final double step;
  private final double spacing;
  private final OccupancyGrid grid;
  private final List<VesselBranch> branches = new ArrayList<>();
  private final ArrayDeque<Sprout> queue = new ArrayDeque<>();

  VesselTreeGrower(FundusGeometry g, CaseStyle style, SplittableRandom rnd) {
    this.g = g;
    this.style = style;
    this.rnd = rnd;
    this.course = new VesselCourse(g);
    this.s = g.scale();
    this.rMin = 0.65 * s;
    this.step = Math.max(0.75, Math.min(2.5, 1.5 * s));
    this.spacing = Math.max(3.0, 6.5 * s * style.spacing());
    this.grid = new OccupancyGrid(g.height(), g.width(), Math.max(1.5, 3.0 * s));
  }

  /** The grown branches; index = id, parents before children (breadth first). */
  List<VesselBranch> grow() {
    plantTrunks();
    while (!queue.isEmpty() && branches.size() < MAX_BRANCHES) {
      growBranch(queue.pollFirst());
    }
    return branches;
  }

  private void plantTrunks() {
    for (int side : new int[] {1, -1}) {
      double a = course.discToFovea() * Randoms.uniform(rnd, 0.9, 1.1);
      double b = a * Randoms.uniform(rnd, 0.65, 0.9);
      plantArcade(VesselKind.VEIN, side, a, b, Randoms.uniform(rnd, 3.3, 4.0));
      plantArcade(VesselKind.ARTERY, side, a * Randoms.uniform(rnd, 0.85, 1.15),
          b * Randoms.uniform(rnd, 0.8, 1.2), Randoms.uniform(rnd, 2.4, 2.9));
      plantNasal(VesselKind.VEIN, side, Randoms.uniform(rnd, 2.3, 3.0));
      plantNasal(VesselKind.ARTERY, side, Randoms.uniform(rnd, 1.8, 2.3));
    }
    // a few small vessels straight from the disc, towards the macula or nasally
    int small = Randoms.between(rnd, 2, 5);
    for (int i = 0; i < small; i++) {
      double base = Randoms.chance(rnd, 0.5) ? 0.0 : Math.PI;
      double ang = base + Randoms.uniform(rnd, -0.6, 0.6);
      double[] dir = course.frame(StrictMath.cos(ang), StrictMath.sin(ang));
      VesselKind kind = Randoms.chance(rnd, 0.5) ? VesselKind.ARTERY : VesselKind.VEIN;
      queue.add(trunk(kind, Guide.DRIFT, dir, Randoms.uniform(rnd, 0.9, 1.6) * s, 0, 0, 0));
    }
  }

  private void plantArcade(VesselKind kind, int side, double a, double b, double radius) {
    double tilt = Randoms.uniform(rnd, -0.15, 0.25);
    double[] dir = course.frame(StrictMath.sin(tilt), side * StrictMath.cos(tilt));
    queue.add(trunk(kind, Guide.ARCADE, dir, radius * s, a, b, side));
  }

  private void plantNasal(VesselKind kind, int side, double radius) {
    double ang = Randoms.uniform(rnd, 0.55, 1.25);
    double[] dir = course.frame(-StrictMath.cos(ang), side * StrictMath.sin(ang));
    queue.add(trunk(kind, Guide.RADIAL, dir, radius * s, 0, 0, 0));
  }

  /**
   * A trunk starting in the cup, a little out along its own direction and to one side, so the
   * trunks touch (one tree) without all starting from one point.
   */
  private Sprout trunk(VesselKind kind, Guide guide, double[] dir, double radius, double a,
      double b, int side) {
    double out = Randoms.uniform(rnd, 0.0, 0.3) * g.cupR();
    double lateral = Randoms.uniform(rnd, -0.25, 0.25) * g.cupR();
    double ox = g.cupX() + dir[0] * out - dir[1] * lateral;
    double oy = g.cupY() + dir[1] * out + dir[0] * lateral;
    return new Sprout(-1, 0, kind, guide, ox, oy, StrictMath.atan2(dir[1], dir[0]), radius, a, b,
        side);
  }

  private void growBranch(Sprout sp) {
    VesselBranch b = new VesselBranch(branches.size(), sp.parent(), sp.generation(), sp.kind());
    branches.add(b);
    if (sp.parent() >= 0) {
      branches.get(sp.parent()).children++;
    }
    boolean trunk = sp.parent() < 0;
    boolean drift = sp.guide() == Guide.DRIFT;
    // in tiny images the trunks stay at least a faint one-pixel line, so no label is ever empty
    double floor = trunk ? Math.max(rMin, TRUNK_FLOOR) : rMin;
    Tip tip = new Tip();
    tip.x = sp.x();
    tip.y = sp.y();
    tip.theta = sp.heading();
    tip.r = sp.radius();
    double prefX = StrictMath.cos(tip.theta);
    double prefY = StrictMath.sin(tip.theta);
    double taper = switch (sp.guide()) {
      case ARCADE -> Randoms.uniform(rnd, 600, 900) * s;
      case RADIAL -> Randoms.uniform(rnd, 350, 550) * s;
      case DRIFT -> Randoms.uniform(rnd, 200, 400) * s;
    };
    double guideLength = switch (sp.guide()) {
      case ARCADE -> 22 * s;
      case RADIAL -> 70 * s;
      case DRIFT -> 30 * s;
    };
    double terminalLength = Randoms.uniform(rnd, 40, 180) * s;
    double maxLength = (trunk ? 900 : 420) * s;
    // curvature is an Ornstein-Uhlenbeck process: smooth random wiggles of ~22 px (DRIVE scale)
    double rho = StrictMath.exp(-step / (22 * s));
    double kick = Math.sqrt(1 - rho * rho);
    double curvature = 0;
    double lenAtMin = -1;
    double lastBranch = 0;
    double bareLength = trunk ? 0.6 * g.discRx() : 0;
    double fovLimit = 1.0 + 2.0 / g.fovRx();
    fovLimit *= fovLimit;

    // trunks start narrow and faint in the cup, where the vessels dive into the nerve head
    b.add(tip.x, tip.y, trunk ? 0.6 * tip.r : tip.r, trunk ? 0.6 : 1.0);
    grid.mark(tip.x, tip.y, sp.kind(), b.id);
    for (int guard = 0; guard < 100_000; guard++) {
      double hx = StrictMath.cos(tip.theta);
      double hy = StrictMath.sin(tip.theta);
      double[] t = switch (sp.guide()) {
        case ARCADE -> course.arcade(tip.x, tip.y, hx, hy, sp.arcadeA(), sp.arcadeB(), sp.arcadeSide());
        case RADIAL -> course.radial(tip.x, tip.y, prefX, prefY);
        case DRIFT -> course.drift(tip.x, tip.y, hx, hy);
      };
      // keep away from vessels of the same kind (a wide probe pushes towards empty retina);
      // arteries and veins avoid each other less, and only thin ones refuse to cross
      int ignore = tip.len < 2.5 * spacing ? sp.parent() : -1;
      double range = 2.5 * spacing + tip.r;
      grid.probe(tip.x, tip.y, hx, hy, range, sp.kind(), b.id, ignore);
      double pushX = grid.pushX;
      double pushY = grid.pushY;
      double ahead = grid.nearestAhead;
      boolean empty = grid.crowd == 0;
      VesselKind other = sp.kind() == VesselKind.ARTERY ? VesselKind.VEIN : VesselKind.ARTERY;
      grid.probe(tip.x, tip.y, hx, hy, 0.7 * range, other, b.id, -1);
      pushX += 0.6 * grid.pushX;
      pushY += 0.6 * grid.pushY;
      if (tip.r < 1.5 * rMin) {
        ahead = Math.min(ahead, 1.4 * grid.nearestAhead);
      }
      // inside the macula small vessels run straight for the fovea like spokes and stop when
      // they meet others; elsewhere thin vessels give way most
      boolean macular = drift && g.distanceToFovea(tip.x, tip.y) < 0.6 * g.fovRx();
      double avoid = (!drift ? 0.25 : macular ? 0.15 : tip.r < 1.6 * rMin ? 1.0 : 0.5) * spacing / 4.0;
      double[] want = VesselCourse.unit(t[0] + avoid * pushX, t[1] + avoid * pushY);
      double gain = Math.min(1.0, step / (macular ? 0.5 * guideLength : guideLength));

      double curvStd = style.tortuosity() * (0.008 + 0.020 / (1.0 + tip.r / s)) / s;
      curvature = rho * curvature + kick * curvStd * Randoms.gaussian(rnd);
      tip.theta += curvature * step + angleBetween(hx, hy, want[0], want[1]) * gain;
      tip.x += step * StrictMath.cos(tip.theta);
      tip.y += step * StrictMath.sin(tip.theta);
      tip.len += step;
      tip.r = Math.max(floor, tip.r * StrictMath.exp(-step / taper));

      if (g.fovRadius2(tip.x, tip.y) > fovLimit) {
        b.add(tip.x, tip.y, tip.r, 1.0);
        b.endsInside = false;
        break;
      }
      boolean end = g.distanceToFovea(tip.x, tip.y) < g.fazRadius() * (trunk ? 1.6 : 1.0)
          || (drift && tip.len > 1.5 * spacing && ahead < 0.6 * spacing)
          || tip.len > maxLength;
      if (tip.r <= rMin * 1.0001) {
        if (lenAtMin < 0) {
          lenAtMin = tip.len;
        } else if (tip.len - lenAtMin > terminalLength && !empty) {
          end = true; // a thin vessel ends where the retina around it is already supplied
        }
      }
      if (end) {
        b.endsInside = true;
        break;
      }
      double emerge = trunk ? Math.min(1.0, tip.len / g.cupR()) : 1.0;
      b.add(tip.x, tip.y, tip.r * (0.6 + 0.4 * emerge), 0.6 + 0.4 * emerge);
      grid.mark(tip.x, tip.y, sp.kind(), b.id);

      boolean thin = tip.r <= rMin * 1.6;
      double meanGap = (thin ? 80 : 14 + 9 * tip.r / s) * s * style.spacing() / style.branchiness();
      boolean canBranch = (!thin || sp.generation() < MAX_THIN_GENERATION)
          && tip.len > bareLength && tip.len - lastBranch > 6 * s;
      if (canBranch && Randoms.chance(rnd, (empty ? 2.0 : 1.0) * step / meanGap)) {
        lastBranch = tip.len;
        // mostly towards the emptier side (where the repulsion points)
        double cross = hx * pushY - hy * pushX;
        int side = cross != 0 && Randoms.chance(rnd, 0.75) ? (cross > 0 ? 1 : -1) : Randoms.sign(rnd);
        if (thin) {
          fork(b, sp, tip, side);
        } else {
          sideBranch(b, sp, tip, side, floor);
        }
      }
    }
    if (b.endsInside) {
      fadeOut(b);
    }
  }

  /** The finest vessels fork symmetrically into a narrow Y. */
  private void fork(VesselBranch b, Sprout sp, Tip tip, int side) {
    double half = Randoms.uniform(rnd, 0.25, 0.55);
    queue.add(new Sprout(b.id, sp.generation() + 1, sp.kind(), Guide.DRIFT, tip.x, tip.y,
        tip.theta + side * half, rMin, 0, 0, 0));
    tip.theta -= side * half;
  }

  /**
   * A daughter vessel leaves at Murray's optimal angle; the parent narrows by Murray's law and
   * bends away a little. Branches into the macula are small, and trunks lose little to each.
   */
  private void sideBranch(VesselBranch b, Sprout sp, Tip tip, int side, double floor) {
    double r = tip.r;
    double dir = tip.theta + side * 1.0;
    boolean intoMacula = sp.guide() == Guide.ARCADE
        && StrictMath.cos(dir) * (g.foveaX() - tip.x) + StrictMath.sin(dir) * (g.foveaY() - tip.y) > 0;
    double f = intoMacula ? Randoms.uniform(rnd, 0.25, 0.5)
        : Randoms.chance(rnd, 0.15) ? Randoms.uniform(rnd, 0.72, 0.85)
        : sp.parent() < 0 ? Randoms.uniform(rnd, 0.25, 0.6) : Randoms.uniform(rnd, 0.4, 0.8);
    double rd = Math.max(rMin, f * r);
    double rc = Math.max(floor, StrictMath.cbrt(Math.max(r * r * r - rd * rd * rd, rMin * rMin * rMin)));
    double r2 = r * r;
    double alphaD = StrictMath.acos(clamp((r2 * r2 + pow4(rd) - pow4(rc)) / (2 * r2 * rd * rd)));
    double alphaC = StrictMath.acos(clamp((r2 * r2 + pow4(rc) - pow4(rd)) / (2 * r2 * rc * rc)));
    alphaD = Math.max(0.4, Math.min(1.3, alphaD + Randoms.uniform(rnd, -0.2, 0.2)));
    queue.add(new Sprout(b.id, sp.generation() + 1, sp.kind(), Guide.DRIFT, tip.x, tip.y,
        tip.theta + side * alphaD, rd, 0, 0, 0));
    tip.theta -= side * alphaC * (sp.guide() == Guide.DRIFT ? 0.8 : 0.4);
    tip.r = rc;
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
