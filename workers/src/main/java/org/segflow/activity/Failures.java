package org.segflow.activity;

import io.temporal.failure.ApplicationFailure;
import java.util.function.Supplier;
import org.segflow.InvalidInputException;
import org.segflow.contract.PipelineWorkflow;

/** Input errors become non-retryable failures of type {@value PipelineWorkflow#INVALID_INPUT}. */
final class Failures {

  private Failures() {}

  static <T> T invalidInputIsFinal(Supplier<T> step) {
    try {
      return step.get();
    } catch (InvalidInputException e) {
      throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), PipelineWorkflow.INVALID_INPUT,
          e.file() == null ? "" : e.file().toString());
    }
  }
}
