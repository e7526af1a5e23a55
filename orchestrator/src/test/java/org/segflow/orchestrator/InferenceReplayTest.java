package org.segflow.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.activity.ActivityOptions;
import io.temporal.api.enums.v1.EventType;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.workflow.Workflow;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.segflow.contract.ArrivalActivities;
import org.segflow.contract.ImageCheck;
import org.segflow.contract.InferenceActivities;
import org.segflow.contract.InferenceRequest;
import org.segflow.contract.InferenceResult;
import org.segflow.contract.InferenceWorkflow;
import org.segflow.contract.SegmentRequest;
import org.segflow.contract.SegmentationOutputs;

/**
 * Replays recorded InferenceWorkflow runs (segmented and published; segmenting failed every retry and
 * was dead-lettered; an unreadable image dead-lettered without the gpu) against today's
 * {@link InferenceWorkflowImpl}: a change that breaks determinism fails here, before it strands the
 * images in flight on a cluster.
 *
 * <p>To re-record after an intended, versioned change: {@code ./mvnw -B -o -pl proto,workers,orchestrator
 * test -Dtest=InferenceWorkflowFailureTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dsegflow.recordHistory=$PWD/orchestrator/src/test/resources} and rename the three files as below.
 */
class InferenceReplayTest {

  @ParameterizedTest
  @ValueSource(strings = {"inference-history-completed.json", "inference-history-segmentation-failed.json",
      "inference-history-invalid-image.json"})
  void recordedHistoryReplays(String resource) throws Exception {
    WorkflowReplayer.replayWorkflowExecutionFromResource(resource, InferenceWorkflowImpl.class);
  }

  @Test
  void aWorkflowThatDoesNotDeadLetterItsFailuresDoesNotReplay() throws Exception {
    WorkflowExecutionHistory history = WorkflowExecutionHistory.fromJson(read(
        "inference-history-segmentation-failed.json"));
    assertEquals(List.of("CheckImage", "Segment", "PublishFailed"), history.getEvents().stream()
        .filter(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
        .map(e -> e.getActivityTaskScheduledEventAttributes().getActivityType().getName()).toList());
    Exception e = assertThrows(Exception.class,
        () -> WorkflowReplayer.replayWorkflowExecution(history, NoDeadLetterWorkflow.class));
    assertTrue(String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("nondetermin"), e.toString());
  }

  /** The inference workflow before failures were dead-lettered. */
  public static final class NoDeadLetterWorkflow implements InferenceWorkflow {
    @Override
    public InferenceResult run(InferenceRequest request) {
      ActivityOptions o = ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(30)).build();
      ArrivalActivities arrival = Workflow.newActivityStub(ArrivalActivities.class, o);
      InferenceActivities inference = Workflow.newActivityStub(InferenceActivities.class, o);
      long started = Workflow.currentTimeMillis();
      ImageCheck check = arrival.checkImage(request);
      SegmentationOutputs outputs = inference.segment(new SegmentRequest(request, check.modelVersion()));
      long done = Workflow.currentTimeMillis();
      InferenceResult r = new InferenceResult(Workflow.getInfo().getWorkflowId(), request, outputs, started, 0,
          done - started, done);
      arrival.publishCompleted(r);
      return r;
    }
  }

  private static String read(String resource) throws IOException {
    try (InputStream in = InferenceReplayTest.class.getClassLoader().getResourceAsStream(resource)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
