package org.segflow.pipeline;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.segflow.InvalidInputException;
import org.segflow.predict.PredictionReport;

/**
 * Only the input's own faults make a failed test-set prediction invalid input (final for the
 * pipeline); anything else is a plain failure, which is retried.
 */
class TestSetPredictionFailureTest {

  private static final Path INPUT = Path.of("raw/Dataset001_X/imagesTs");

  @Test
  void unreadableImagesAreInvalidInput() {
    RuntimeException e = TestSetPrediction.failure(INPUT, report(
        new PredictionReport.Failure("X_3", "X_3_0000.png: not a PNG", true)));
    assertInstanceOf(InvalidInputException.class, e);
    assertTrue(e.getMessage().contains("X_3: X_3_0000.png: not a PNG"), e.getMessage());
  }

  @Test
  void anEngineFailureAmongThemIsNotInvalidInput() {
    RuntimeException e = TestSetPrediction.failure(INPUT, report(
        new PredictionReport.Failure("X_3", "X_3_0000.png: not a PNG", true),
        new PredictionReport.Failure("X_4", "ai.djl.engine.EngineException: CUDA out of memory", false)));
    assertFalse(e instanceof InvalidInputException, "a transient failure must stay retryable");
    assertTrue(e.getMessage().contains("X_4: ai.djl.engine.EngineException: CUDA out of memory"), e.getMessage());
  }

  private static PredictionReport report(PredictionReport.Failure... failures) {
    return new PredictionReport(List.of("X_1"), List.of(), List.of(failures), 3.0);
  }
}
