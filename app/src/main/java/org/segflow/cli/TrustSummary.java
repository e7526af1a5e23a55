package org.segflow.cli;

import java.util.Locale;
import java.util.stream.Collectors;
import org.segflow.events.SegmentationCompleted;
import org.segflow.events.Trust;
import org.segflow.trust.TrustProfile;

/** One-line renderings of trust scores and profiles for command output. */
final class TrustSummary {

  private TrustSummary() {}

  /** "trust: passed (...)", "trust: FLAGGED OUT_OF_DISTRIBUTION (...)" or "trust: not scored". */
  static String of(SegmentationCompleted c) {
    if (!c.hasTrust()) {
      return "trust: not scored (the model version has no trust profile)";
    }
    Trust t = c.getTrust();
    String verdict = c.getFlagsCount() == 0 ? "passed"
        : "FLAGGED " + c.getFlagsList().stream().map(Enum::name).collect(Collectors.joining(","));
    return String.format(Locale.ROOT, "trust: %s (drift %.2f / %.2f on %s, confidence %.3f / %.3f,"
        + " foreground score %.2f / %.2f)", verdict, t.getDriftScore(), t.getDriftThreshold(), t.getDriftFeature(),
        t.getConfidence(), t.getConfidenceThreshold(), t.getForegroundScore(), t.getForegroundThreshold());
  }

  /** The thresholds of a version's profile, or how to create one. */
  static String of(TrustProfile p) {
    return String.format(Locale.ROOT, "trust: drift <= %.2f, confidence >= %.3f, foreground score <= %.2f"
        + " (%d cross-validation cases)", p.drift().threshold(), p.confidence().threshold(),
        p.foreground().threshold(), p.crossvalCases());
  }
}
