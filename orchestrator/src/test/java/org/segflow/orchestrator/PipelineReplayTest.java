package org.segflow.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.api.enums.v1.EventType;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.WorkflowReplayer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Replays a recorded pipeline (ingest, convert, fingerprint, plan, the fold cache asked about two
 * folds, both trained with a retried fold 0 and progress signals, find-best, predict) against
 * today's {@link PipelineWorkflowImpl}: a change that breaks determinism fails here.
 *
 * <p>To re-record after an intended, versioned change of the workflow:
 * {@code ./mvnw -B -o -pl proto,workers,orchestrator test -Dtest='PipelineWorkflowIntegrationTest#runs*'
 * -Dsurefire.failIfNoSpecifiedTests=false -Dsegflow.recordHistory=$PWD/orchestrator/src/test/resources/pipeline-history.json}
 */
class PipelineReplayTest {

  private static final String HISTORY = "pipeline-history.json";

  @Test
  void recordedHistoryReplays() throws Exception {
    WorkflowReplayer.replayWorkflowExecutionFromResource(HISTORY, PipelineWorkflowImpl.class);
  }

  @Test
  void aWorkflowThatSchedulesDifferentlyDoesNotReplay() throws Exception {
    WorkflowExecutionHistory history = WorkflowExecutionHistory.fromJson(read(HISTORY));
    assertEquals(List.of("Ingest", "Convert", "Fingerprint", "PlanAndPreprocess", "FinishedFold", "FinishedFold",
        "TrainFold", "TrainFold", "FindBest", "Predict"), history.getEvents().stream()
        .filter(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
        .map(e -> e.getActivityTaskScheduledEventAttributes().getActivityType().getName()).toList(),
        "every step of the pipeline is in the recorded history");
    assertTrue(history.getEvents().stream().anyMatch(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED
        && e.getActivityTaskStartedEventAttributes().getAttempt() == 2), "fold 0's retry is in it too");
    // the replay check is real: a workflow that skips fingerprint and plan is refused on this history
    Exception e = assertThrows(Exception.class,
        () -> WorkflowReplayer.replayWorkflowExecution(history, SkipsPlanningWorkflow.class));
    assertTrue(String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("nondetermin"),
        e.toString());
  }

  private static String read(String resource) throws IOException {
    try (InputStream in = PipelineReplayTest.class.getClassLoader().getResourceAsStream(resource)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
