package org.segflow.dataset;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.TreeSet;
import org.segflow.io.ImageArray;

/**
 * The distinct values of an image: whole numbers 0..65535 in a bit set (fast for label maps), any
 * other value (fractions, negatives, NaN) kept aside.
 */
final class PixelValues {

  private final BitSet small = new BitSet();
  private final TreeSet<Float> other = new TreeSet<>();

  private PixelValues() {}

  static PixelValues of(ImageArray img) {
    PixelValues s = new PixelValues();
    for (float v : img.data()) {
      int i = (int) v;
      if (i == v && i >= 0 && i <= 65535) {
        s.small.set(i);
      } else {
        s.other.add(v);
      }
    }
    return s;
  }

  static boolean hasNaN(ImageArray img) {
    for (float v : img.data()) {
      if (Float.isNaN(v)) {
        return true;
      }
    }
    return false;
  }

  /** Whether every value is one of {@code allowed}. */
  boolean subsetOf(List<Integer> allowed) {
    if (!other.isEmpty()) {
      return false;
    }
    for (int i = small.nextSetBit(0); i >= 0; i = small.nextSetBit(i + 1)) {
      if (!allowed.contains(i)) {
        return false;
      }
    }
    return true;
  }

  /** Sorted values like {@code [0, 1, 255]}; at most 20 shown. */
  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    for (Float v : other) {
      if (v < 0) {
        parts.add(format(v));
      }
    }
    for (int i = small.nextSetBit(0); i >= 0; i = small.nextSetBit(i + 1)) {
      parts.add(Integer.toString(i));
    }
    for (Float v : other) {
      if (!(v < 0)) {
        parts.add(format(v));
      }
    }
    if (parts.size() > 20) {
      int more = parts.size() - 20;
      parts = new ArrayList<>(parts.subList(0, 20));
      parts.add("... " + more + " more");
    }
    return "[" + String.join(", ", parts) + "]";
  }

  private static String format(float v) {
    return Float.isNaN(v) ? "nan" : Float.toString(v);
  }
}
