package org.segflow.activity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.failure.ApplicationFailure;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.segflow.InvalidInputException;
import org.segflow.contract.PipelineWorkflow;

/** The activities' one translation of engine errors: invalid input is final, anything else is retried. */
class FailuresTest {

  @Test
  void invalidInputBecomesANonRetryableFailureNamingTheFile() {
    Path file = Path.of("raw/Dataset001_X/imagesTs");
    ApplicationFailure f = assertThrows(ApplicationFailure.class, () -> Failures.invalidInputIsFinal(() -> {
      throw new InvalidInputException(file, "1 test case(s) could not be predicted");
    }));
    assertTrue(f.isNonRetryable());
    assertEquals(PipelineWorkflow.INVALID_INPUT, f.getType());
    assertTrue(f.getOriginalMessage().contains("1 test case(s) could not be predicted"), f.getOriginalMessage());
  }

  @Test
  void otherFailuresPassThroughUnchangedAndStayRetryable() {
    IllegalStateException engine = new IllegalStateException("CUDA out of memory");
    RuntimeException thrown = assertThrows(RuntimeException.class, () -> Failures.invalidInputIsFinal(() -> {
      throw engine;
    }));
    assertSame(engine, thrown);
  }
}
