package org.segflow.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.segflow.contract.ArrivalActivities;
import org.segflow.contract.ImageCheck;
import org.segflow.contract.InferenceActivities;
import org.segflow.contract.InferenceFailure;
import org.segflow.contract.InferenceRequest;
import org.segflow.contract.InferenceResult;
import org.segflow.contract.InferenceWorkflow;
import org.segflow.contract.PipelineWorkflow;
import org.segflow.contract.SegmentRequest;
import org.segflow.contract.SegmentationOutputs;
import org.segflow.contract.StepRef;

/**
 * InferenceWorkflow with scripted activities: a segmented image is published once; an image the bridge
 * accepted but its workflow cannot segment is answered with a DeadLetter, then the workflow fails.
 *
 * <p>Run with {@code -Dsegflow.recordHistory=DIR} to write each run's history as JSON into DIR,
 * named after the test method (see {@link InferenceReplayTest} for re-recording the stored ones).
 */
class InferenceWorkflowFailureTest {

  private static final InferenceRequest REQUEST = new InferenceRequest("Dataset007_Eyes", "/inbox/a.png",
      "file:///inbox/a.png", "ab".repeat(32), 1_000, null);

  private TestWorkflowEnvironment env;
  private final Arrival arrival = new Arrival();
  private final Segmenter segmenter = new Segmenter();

  /** Records what the workflow published. */
  static final class Arrival implements ArrivalActivities {
    volatile Function<InferenceRequest, ImageCheck> check = r -> new ImageCheck(r.dataset(), "v3", 64, 64, 1);
    final List<InferenceFailure> failures = new CopyOnWriteArrayList<>();
    final AtomicInteger completed = new AtomicInteger();

    @Override
    public ImageCheck checkImage(InferenceRequest request) {
      return check.apply(request);
    }

    @Override
    public void publishCompleted(InferenceResult result) {
      completed.incrementAndGet();
    }

    @Override
    public void publishFailed(InferenceFailure failure) {
      failures.add(failure);
    }
  }

  /** A gpu that falls over unless told to work. */
  static final class Segmenter implements InferenceActivities {
    final AtomicInteger attempts = new AtomicInteger();
    volatile boolean works;

    @Override
    public SegmentationOutputs segment(SegmentRequest request) {
      attempts.incrementAndGet();
      if (works) {
        StepRef ref = new StepRef("predictions/" + request.request().dataset() + "/a.png", "cd".repeat(32));
        return new SegmentationOutputs(request.modelVersion(), ref, ref, ref, 0.12, 64, 64, 40);
      }
      throw new IllegalStateException("CUDA error: an illegal memory access was encountered");
    }

    @Override
    public org.segflow.contract.ShadowResult segmentShadow(org.segflow.contract.ShadowRequest request) {
      throw new AssertionError("no shadow version was checked, yet the shadow segmented " + request);
    }
  }

  @BeforeEach
  void start() {
    env = TestWorkflowEnvironment.newInstance();
    env.newWorker(InferenceWorkflow.TASK_QUEUE).registerWorkflowImplementationTypes(InferenceWorkflowImpl.class);
    env.newWorker(ArrivalActivities.TASK_QUEUE).registerActivitiesImplementations(arrival);
    env.newWorker(InferenceActivities.TASK_QUEUE).registerActivitiesImplementations(segmenter);
    env.start();
  }

  @AfterEach
  void stop() {
    env.close();
  }

  private InferenceWorkflow workflow() {
    return env.getWorkflowClient().newWorkflowStub(InferenceWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId("infer-test").setTaskQueue(InferenceWorkflow.TASK_QUEUE).build());
  }

  private void runExpectingFailure() throws IOException {
    InferenceWorkflow wf = workflow();
    assertThrows(WorkflowFailedException.class, () -> wf.run(REQUEST));
    record(wf);
  }

  /** With -Dsegflow.recordHistory=DIR: DIR/inference-history-<test>.json. */
  private void record(InferenceWorkflow wf) throws IOException {
    String dir = System.getProperty("segflow.recordHistory");
    if (dir != null && !dir.isBlank()) {
      WorkflowExecutionHistory history = env.getWorkflowClient().fetchHistory(WorkflowStub.fromTyped(wf)
          .getExecution().getWorkflowId());
      Files.writeString(Path.of(dir).resolve("inference-history-" + testName + ".json"), history.toJson(true),
          StandardCharsets.UTF_8);
    }
  }

  private String testName;

  @BeforeEach
  void name(TestInfo info) {
    testName = info.getTestMethod().orElseThrow().getName();
  }

  @Test
  void aSegmentedImageIsPublishedOnceAndNothingIsDeadLettered() throws IOException {
    segmenter.works = true;
    InferenceWorkflow wf = workflow();
    InferenceResult r = wf.run(REQUEST);
    record(wf);
    assertEquals("v3", r.outputs().modelVersion());
    assertEquals(1, segmenter.attempts.get());
    assertEquals(1, arrival.completed.get());
    assertEquals(List.of(), arrival.failures);
  }

  @Test
  void aSegmentationThatFailsEveryRetryIsDeadLetteredAsSuch() throws IOException {
    runExpectingFailure();
    assertEquals(5, segmenter.attempts.get(), "every retry was spent");
    assertEquals(1, arrival.failures.size());
    InferenceFailure f = arrival.failures.get(0);
    assertFalse(f.invalidInput());
    assertEquals("infer-test", f.workflowId());
    assertEquals(REQUEST, f.request());
    assertTrue(f.detail().startsWith("Segment failed: ") && f.detail().contains("illegal memory access"), f.detail());
    assertEquals(0, arrival.completed.get());
  }

  @Test
  void anUnreadableImageIsDeadLetteredAsInvalidWithoutRetriesOrGpu() throws IOException {
    arrival.check = r -> {
      throw ApplicationFailure.newNonRetryableFailure("/inbox/a.png is not a decodable image (PNG, TIFF or BMP expected)",
          PipelineWorkflow.INVALID_INPUT);
    };
    runExpectingFailure();
    assertEquals(0, segmenter.attempts.get());
    assertEquals(1, arrival.failures.size());
    InferenceFailure f = arrival.failures.get(0);
    assertTrue(f.invalidInput());
    assertEquals("CheckImage failed: /inbox/a.png is not a decodable image (PNG, TIFF or BMP expected)", f.detail());
  }
}
