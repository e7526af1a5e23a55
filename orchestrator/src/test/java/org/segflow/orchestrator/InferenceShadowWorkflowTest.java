package org.segflow.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
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
import org.segflow.contract.ShadowRequest;
import org.segflow.contract.ShadowResult;
import org.segflow.contract.StepRef;

/**
 * InferenceWorkflow with a live shadow run (scripted activities): the check names a shadow version, both
 * versions segment the image, the promoted result alone is published and returned, the shadow runs
 * after the publication with the published outputs to compare with, and a shadow that fails leaves the
 * promoted path completed.
 */
class InferenceShadowWorkflowTest {

  private static final InferenceRequest REQUEST = new InferenceRequest("Dataset007_Eyes", "/inbox/a.png",
      "file:///inbox/a.png", "ab".repeat(32), 1_000, "file:///inbox/a_label.png");

  private TestWorkflowEnvironment env;
  /** What happened, in order: "check", "segment v3", "publish v3", "shadow v4" ... */
  private final List<String> steps = new CopyOnWriteArrayList<>();
  private final List<InferenceResult> published = new CopyOnWriteArrayList<>();
  private final List<InferenceFailure> failures = new CopyOnWriteArrayList<>();
  private final List<ShadowRequest> shadowRequests = new CopyOnWriteArrayList<>();
  private volatile String shadowVersion = "v4";
  private volatile RuntimeException shadowFailure;

  private final class Arrival implements ArrivalActivities {
    @Override
    public ImageCheck checkImage(InferenceRequest request) {
      steps.add("check");
      return new ImageCheck(request.dataset(), "v3", 64, 64, 1, shadowVersion);
    }

    @Override
    public void publishCompleted(InferenceResult result) {
      steps.add("publish " + result.outputs().modelVersion());
      published.add(result);
    }

    @Override
    public void publishFailed(InferenceFailure failure) {
      failures.add(failure);
    }
  }

  private final class Segmenter implements InferenceActivities {
    @Override
    public SegmentationOutputs segment(SegmentRequest request) {
      steps.add("segment " + request.modelVersion());
      return outputs("predictions/" + request.request().dataset() + "/" + request.modelVersion(),
          request.modelVersion());
    }

    @Override
    public ShadowResult segmentShadow(ShadowRequest request) {
      steps.add("shadow " + request.shadowVersion());
      shadowRequests.add(request);
      if (shadowFailure != null) {
        throw shadowFailure;
      }
      return new ShadowResult(request.shadowVersion(), request.promoted().modelVersion(),
          outputs("predictions/" + request.request().dataset() + "/shadow/" + request.shadowVersion(),
              request.shadowVersion()), 0.7, 0.8, 0.9);
    }
  }

  private static SegmentationOutputs outputs(String dir, String version) {
    StepRef ref = new StepRef(dir + "/a_abababababab.png", "cd".repeat(32));
    return new SegmentationOutputs(version, ref, ref, ref, 0.12, 64, 64, 40);
  }

  @BeforeEach
  void start() {
    env = TestWorkflowEnvironment.newInstance();
    env.newWorker(InferenceWorkflow.TASK_QUEUE).registerWorkflowImplementationTypes(InferenceWorkflowImpl.class);
    env.newWorker(ArrivalActivities.TASK_QUEUE).registerActivitiesImplementations(new Arrival());
    env.newWorker(InferenceActivities.TASK_QUEUE).registerActivitiesImplementations(new Segmenter());
    env.start();
  }

  @AfterEach
  void stop() {
    env.close();
  }

  private InferenceResult run() {
    return env.getWorkflowClient().newWorkflowStub(InferenceWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId("infer-shadow-test").setTaskQueue(InferenceWorkflow.TASK_QUEUE).build()).run(REQUEST);
  }

  @Test
  void bothVersionsSegmentTheImageAndOnlyThePromotedResultIsPublished() {
    InferenceResult r = run();
    assertEquals(List.of("check", "segment v3", "publish v3", "shadow v4"), steps,
        "the shadow runs once the promoted result is published");
    assertEquals(1, published.size());
    assertEquals("v3", published.get(0).outputs().modelVersion());
    assertEquals("predictions/Dataset007_Eyes/v3/a_abababababab.png", published.get(0).outputs().labelMap().path());
    assertEquals(published.get(0), r, "the workflow's result is the published one, not the shadow's");
    ShadowRequest shadow = shadowRequests.get(0);
    assertEquals(REQUEST, shadow.request());
    assertEquals(published.get(0).outputs(), shadow.promoted(), "compared with the published outputs");
    assertEquals(List.of(), failures);
  }

  @Test
  void aShadowThatFailsEveryAttemptLeavesThePromotedPathCompleted() {
    shadowFailure = new IllegalStateException("CUDA error: out of memory");
    InferenceResult r = run();
    assertEquals("v3", r.outputs().modelVersion());
    assertEquals(1, published.size());
    assertEquals(2, shadowRequests.size(), "one retry, then given up");
    assertEquals(List.of(), failures, "a shadow failure is no dead letter");
  }

  @Test
  void aShadowRefusingItsInputIsNotRetriedAndFailsNothing() {
    shadowFailure = ApplicationFailure.newNonRetryableFailure("no model version 'v4'", PipelineWorkflow.INVALID_INPUT);
    InferenceResult r = run();
    assertEquals("v3", r.outputs().modelVersion());
    assertEquals(1, shadowRequests.size());
    assertEquals(1, published.size());
    assertEquals(List.of(), failures);
  }

  @Test
  void withoutAShadowVersionNothingElseRuns() {
    shadowVersion = null;
    run();
    assertEquals(List.of("check", "segment v3", "publish v3"), steps);
    assertTrue(shadowRequests.isEmpty());
  }
}
