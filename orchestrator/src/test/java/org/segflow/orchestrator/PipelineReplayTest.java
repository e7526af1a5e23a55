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
import org.junit.jupiter.api.Test;

/**
 * Replays a recorded pipeline (convert, plan, two folds with a retried fold 0 and progress
 * signals, find-best, predict) against today's {@link PipelineWorkflowImpl}: a change that breaks
 * determinism fails here.
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
    assertEquals(6, history.getEvents().stream()
        .filter(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED).count(),
        "convert, plan, two folds, find-best and predict");
    // the replay check is real: a workflow that skips planning is refused on this history
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
