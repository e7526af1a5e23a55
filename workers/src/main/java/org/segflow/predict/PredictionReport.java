package org.segflow.predict;

import java.util.List;

/** What a prediction run did: cases written, cases skipped (already complete), cases that failed. */
public record PredictionReport(List<String> written, List<String> skipped, List<Failure> failures,
    double seconds) {

  /** A case that could not be predicted, and why. */
  public record Failure(String caseId, String message) {}

  public PredictionReport {
    written = List.copyOf(written);
    skipped = List.copyOf(skipped);
    failures = List.copyOf(failures);
  }

  public boolean ok() {
    return failures.isEmpty();
  }

  /** Seconds per written case (NaN when none was written). */
  public double secondsPerCase() {
    return written.isEmpty() ? Double.NaN : seconds / written.size();
  }
}
