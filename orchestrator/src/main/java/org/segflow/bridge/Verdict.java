package org.segflow.bridge;

import org.segflow.contract.InferenceRequest;
import org.segflow.events.DeadLetter;

/** An arrived record judged: the workflow to start, or why it goes to the DLQ. */
public record Verdict(InferenceRequest request, DeadLetter.Reason reason, String detail) {

  public static Verdict accept(InferenceRequest request) {
    return new Verdict(request, null, null);
  }

  public static Verdict reject(DeadLetter.Reason reason, String detail) {
    return new Verdict(null, reason, detail);
  }

  public boolean accepted() {
    return request != null;
  }
}
