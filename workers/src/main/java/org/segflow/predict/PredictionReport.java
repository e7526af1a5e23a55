package org.segflow.predict;

import java.util.List;

/** What a prediction run did: cases written, cases skipped (already complete), cases that failed. */
public record PredictionReport(List<String> written, List<String> skipped, List<Failure> failures,
    double seconds) {

  /**
   * A case that could not be predicted, and why; {@code invalidInput} when the case itself is at fault
   * (an unreadable or inconsistent image: trying again cannot help), not the engine or the machine.
   */
  public record Failure(String caseId, String message, boolean invalidInput) {}

  public PredictionReport {
    written = List.copyOf(written);
    skipped = List.copyOf(skipped);
    failures = List.copyOf(failures);
  }

  public boolean ok() {
    return failures.isEmpty();
  }

  /** Whether every failure is the input's fault (true when none failed). */
  public boolean onlyInvalidInput() {
    return failures.stream().allMatch(Failure::invalidInput);
  }

  /** Seconds per written case (NaN when none was written). */
  public double secondsPerCase() {
    return written.isEmpty() ? Double.NaN : seconds / written.size();
  }
}
