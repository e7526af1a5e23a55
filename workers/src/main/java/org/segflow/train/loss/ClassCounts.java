package org.segflow.train.loss;

import java.util.Arrays;

/**
 * Per-foreground-class true positive, false positive and false negative pixel counts (index 0 is
 * class 1), summed over batches for nnU-Net's pseudo Dice.
 */
public record ClassCounts(long[] tp, long[] fp, long[] fn) {

  public ClassCounts {
    if (tp.length != fp.length || tp.length != fn.length) {
      throw new IllegalArgumentException("tp/fp/fn lengths differ: " + tp.length + ", "
          + fp.length + ", " + fn.length);
    }
    tp = tp.clone();
    fp = fp.clone();
    fn = fn.clone();
  }

  public static ClassCounts zeros(int foregroundClasses) {
    return new ClassCounts(new long[foregroundClasses], new long[foregroundClasses],
        new long[foregroundClasses]);
  }

  public int foregroundClasses() {
    return tp.length;
  }

  public ClassCounts plus(ClassCounts other) {
    if (other.tp.length != tp.length) {
      throw new IllegalArgumentException("cannot add counts for " + other.tp.length
          + " classes to counts for " + tp.length);
    }
    long[] t = tp.clone();
    long[] p = fp.clone();
    long[] n = fn.clone();
    for (int c = 0; c < t.length; c++) {
      t[c] += other.tp[c];
      p[c] += other.fp[c];
      n[c] += other.fn[c];
    }
    return new ClassCounts(t, p, n);
  }

  /** dice_c = 2tp / (2tp + fp + fn), NaN where the denominator is 0 (class absent everywhere). */
  public double[] dicePerClass() {
    double[] dice = new double[tp.length];
    for (int c = 0; c < dice.length; c++) {
      long denominator = 2 * tp[c] + fp[c] + fn[c];
      dice[c] = denominator == 0 ? Double.NaN : 2.0 * tp[c] / denominator;
    }
    return dice;
  }

  /** numpy's nanmean of {@link #dicePerClass()}: NaN when every class is NaN. */
  public double meanForegroundDice() {
    double sum = 0;
    int n = 0;
    for (double d : dicePerClass()) {
      if (!Double.isNaN(d)) {
        sum += d;
        n++;
      }
    }
    return n == 0 ? Double.NaN : sum / n;
  }

  @Override
  public long[] tp() {
    return tp.clone();
  }

  @Override
  public long[] fp() {
    return fp.clone();
  }

  @Override
  public long[] fn() {
    return fn.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ClassCounts c && Arrays.equals(tp, c.tp) && Arrays.equals(fp, c.fp)
        && Arrays.equals(fn, c.fn);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * Arrays.hashCode(tp) + Arrays.hashCode(fp)) + Arrays.hashCode(fn);
  }

  @Override
  public String toString() {
    return "ClassCounts[tp=" + Arrays.toString(tp) + ", fp=" + Arrays.toString(fp) + ", fn="
        + Arrays.toString(fn) + "]";
  }
}
