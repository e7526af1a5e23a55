package org.segflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** `segflow status` of a workflow without the progress query answers from the server's view alone. */
class StatusCommandTest {

  @Test
  void onlyAPipelineIsAskedForProgress() {
    assertTrue(StatusCommand.hasProgressQuery("PipelineWorkflow"));
    assertFalse(StatusCommand.hasProgressQuery("InferenceWorkflow"));
  }

  @Test
  void anInferenceWorkflowIsDescribedWithoutAnUnansweredQuery() {
    Instant started = Instant.parse("2026-01-02T03:04:05Z");
    WorkflowDescription d = new WorkflowDescription("inference-abc", "InferenceWorkflow",
        WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_FAILED, "segflow-orchestrator", started,
        started.plusSeconds(3), List.of(), new WorkflowDescription.Ending(null, "failed: bad image"));
    String out = StatusCommand.described(d, null, started.plusSeconds(10));
    assertEquals("inference-abc: failed (InferenceWorkflow on segflow-orchestrator, started " + started + ")\n", out);
    assertFalse(out.contains("progress query"), out);
  }
}
