package org.segflow.sample;

import java.util.Arrays;

/**
 * One vessel from its origin (on its parent, or in the optic disc for a trunk) to its end: a
 * centreline of points, each with the labelled half-width and the contrast it shows in the image
 * (0 = invisible, 1 = full). Label and image come from the same points.
 */
final class VesselBranch {

  final int id;
  /** Index of the parent branch, -1 for a trunk leaving the optic disc. */
  final int parent;
  final int generation;
  final VesselKind kind;

  float[] x = new float[64];
  float[] y = new float[64];
  float[] radius = new float[64];
  float[] contrast = new float[64];
  int size;

  /** Points before this index are not labelled: an annotator lost the vessel near its parent. */
  int labelStart;
  /** True when the vessel ends inside the FOV (and so fades out), false when it leaves the FOV. */
  boolean endsInside;
  int children;
  boolean removed;

  VesselBranch(int id, int parent, int generation, VesselKind kind) {
    this.id = id;
    this.parent = parent;
    this.generation = generation;
    this.kind = kind;
  }

  void add(double px, double py, double r, double c) {
    if (size == x.length) {
      int n = size * 2;
      x = Arrays.copyOf(x, n);
      y = Arrays.copyOf(y, n);
      radius = Arrays.copyOf(radius, n);
      contrast = Arrays.copyOf(contrast, n);
    }
    x[size] = (float) px;
    y[size] = (float) py;
    radius[size] = (float) r;
    contrast[size] = (float) c;
    size++;
  }

  boolean isTrunk() {
    return parent < 0;
  }

  /** Length of the centreline from point 0 to point {@code i}. */
  double lengthTo(int i) {
    double len = 0;
    for (int k = 1; k <= i; k++) {
      double dx = x[k] - x[k - 1];
      double dy = y[k] - y[k - 1];
      len += Math.sqrt(dx * dx + dy * dy);
    }
    return len;
  }

  double length() {
    return lengthTo(size - 1);
  }
}
