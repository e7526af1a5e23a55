package org.segflow.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
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

/** An image the bridge accepted but its workflow cannot segment is answered with a DeadLetter, then fails. */
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

  /** A gpu that always falls over. */
  static final class Segmenter implements InferenceActivities {
    final AtomicInteger attempts = new AtomicInteger();

    @Override
    public SegmentationOutputs segment(SegmentRequest request) {
      attempts.incrementAndGet();
      throw new IllegalStateException("CUDA error: an illegal memory access was encountered");
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

  private void runExpectingFailure() {
    WorkflowClient client = env.getWorkflowClient();
    InferenceWorkflow wf = client.newWorkflowStub(InferenceWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId("infer-test").setTaskQueue(InferenceWorkflow.TASK_QUEUE).build());
    assertThrows(WorkflowFailedException.class, () -> wf.run(REQUEST));
  }

  @Test
  void aSegmentationThatFailsEveryRetryIsDeadLetteredAsSuch() {
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
  void anUnreadableImageIsDeadLetteredAsInvalidWithoutRetriesOrGpu() {
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
