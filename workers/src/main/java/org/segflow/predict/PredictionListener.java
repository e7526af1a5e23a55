package org.segflow.predict;

/** Progress of a prediction run; called from the thread that runs {@link Predictor#predictAll}. */
public interface PredictionListener {

  /** Before the first case: {@code toPredict} cases will be predicted, {@code skipped} already exist. */
  default void onStart(int toPredict, int skipped) {}

  /** A case was written; {@code done} of {@code total}, {@code seconds} since the run started. */
  default void onCaseWritten(String caseId, int done, int total, double seconds) {}

  /** A case failed; the others go on. */
  default void onCaseFailed(String caseId, String message, int done, int total) {}

  PredictionListener NONE = new PredictionListener() {};
}
