package org.segflow.promotion;

import java.util.Locale;
import org.segflow.registry.ModelVersion;

/**
 * Whether a candidate may replace the promoted version: refused when it is worse on the evidence there
 * is. With a live shadow run against the promoted version (arriving images segmented by both): a mean
 * Dice on the labelled arrivals more than {@value #DICE_TOLERANCE} lower, or a flagged share more than
 * {@value #FLAGGED_TOLERANCE} higher; and in addition, with a test-set shadow run against the promoted
 * version the same two checks on it, without one a lower cross-validation Dice. Where neither version
 * has a number, nothing is refused.
 */
public final class PromotionGate {

  /** Dice differences below this are noise at the image counts a shadow run uses. */
  static final double DICE_TOLERANCE = 0.005;
  static final double FLAGGED_TOLERANCE = 0.05;

  private PromotionGate() {}

  /** {@code allowed}, with the reason either way (for the command's output). */
  public record Verdict(boolean allowed, String reason) {}

  /**
   * @param shadow the candidate's test-set shadow report, or null
   * @param live   the candidate's live shadow comparison against a promoted version, or null
   */
  public static Verdict check(ModelVersion promoted, ModelVersion candidate, ShadowReport shadow,
      LiveShadow.Comparison live) {
    Verdict rest = check(promoted, candidate, shadow);
    if (promoted == null || live == null || promoted.version().equals(candidate.version())
        || !live.promoted().version().equals(promoted.version())
        || !live.shadow().version().equals(candidate.version())) {
      return rest;
    }
    LiveShadow.VersionStats c = live.shadow();
    LiveShadow.VersionStats b = live.promoted();
    if (c.meanDice() != null && b.meanDice() != null && c.meanDice() < b.meanDice() - DICE_TOLERANCE) {
      return new Verdict(false, String.format(Locale.ROOT, "in the live shadow run %s's mean Dice on %d labelled"
          + " arrivals %.4f is below %s's %.4f", c.version(), c.labelled(), c.meanDice(), b.version(), b.meanDice()));
    }
    if (c.flaggedShare() != null && b.flaggedShare() != null
        && c.flaggedShare() > b.flaggedShare() + FLAGGED_TOLERANCE) {
      return new Verdict(false, String.format(Locale.ROOT, "in the live shadow run over %d arrivals %s flagged"
          + " %.1f%% of them, %s %.1f%%", live.images(), c.version(), 100 * c.flaggedShare(), b.version(),
          100 * b.flaggedShare()));
    }
    String mine = String.format(Locale.ROOT, "live shadow run over %d arrivals (%d labelled): mean Dice %s vs %s,"
        + " flagged %s vs %s", live.images(), c.labelled(), number(c.meanDice()), number(b.meanDice()),
        share(c.flaggedShare()), share(b.flaggedShare()));
    return new Verdict(rest.allowed(), rest.allowed() ? mine + "; " + rest.reason() : rest.reason());
  }

  /** @param shadow the candidate's shadow report, or null */
  public static Verdict check(ModelVersion promoted, ModelVersion candidate, ShadowReport shadow) {
    if (promoted == null || promoted.version().equals(candidate.version())) {
      return new Verdict(true, "nothing to compare with");
    }
    if (shadow != null && shadow.baseline().version().equals(promoted.version())) {
      ShadowReport.VersionResult c = shadow.candidate();
      ShadowReport.VersionResult b = shadow.baseline();
      if (c.meanDice() != null && b.meanDice() != null && c.meanDice() < b.meanDice() - DICE_TOLERANCE) {
        return new Verdict(false, String.format(Locale.ROOT, "in the shadow run over %d images %s's mean Dice"
            + " %.4f is below %s's %.4f", shadow.images(), c.version(), c.meanDice(), b.version(), b.meanDice()));
      }
      if (c.flaggedShare() != null && b.flaggedShare() != null
          && c.flaggedShare() > b.flaggedShare() + FLAGGED_TOLERANCE) {
        return new Verdict(false, String.format(Locale.ROOT, "in the shadow run over %d images %s flagged"
            + " %.1f%% of them, %s %.1f%%", shadow.images(), c.version(), 100 * c.flaggedShare(), b.version(),
            100 * b.flaggedShare()));
      }
      return new Verdict(true, String.format(Locale.ROOT, "shadow run over %d images: mean Dice %s vs %s,"
          + " flagged %s vs %s", shadow.images(), number(c.meanDice()), number(b.meanDice()),
          share(c.flaggedShare()), share(b.flaggedShare())));
    }
    Double c = candidate.crossvalDice();
    Double b = promoted.crossvalDice();
    if (c != null && b != null && c < b) {
      return new Verdict(false, String.format(Locale.ROOT, "%s's cross-validation Dice %.4f is below %s's %.4f"
          + " (and no shadow run against %s)", candidate.version(), c, promoted.version(), b, promoted.version()));
    }
    return new Verdict(true, "cross-validation Dice " + number(c) + " vs " + number(b));
  }

  private static String number(Double d) {
    return d == null ? "-" : String.format(Locale.ROOT, "%.4f", d);
  }

  private static String share(Double d) {
    return d == null ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * d);
  }
}
