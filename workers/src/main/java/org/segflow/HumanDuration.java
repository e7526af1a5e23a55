package org.segflow;

import java.util.Locale;

/** Durations as people read them in progress lines: 45 s, 12.5 min, 3.2 h, 21.1 d; "-" when unknown. */
public final class HumanDuration {

  private HumanDuration() {}

  public static String of(double seconds) {
    if (!Double.isFinite(seconds)) {
      return "-";
    }
    if (seconds < 90) {
      return String.format(Locale.ROOT, "%.0f s", seconds);
    }
    if (seconds < 90 * 60) {
      return String.format(Locale.ROOT, "%.1f min", seconds / 60);
    }
    if (seconds < 36 * 3600) {
      return String.format(Locale.ROOT, "%.1f h", seconds / 3600);
    }
    return String.format(Locale.ROOT, "%.1f d", seconds / 86_400);
  }
}
