package org.segflow.orchestrator;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
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
import org.slf4j.Logger;

/**
 * Check (cpu) -> segment with the promoted model (gpu) -> emit SegmentationCompleted (cpu). The model
 * version is chosen once, by the check, and recorded in history, so a retried segmentation uses the
 * same model even if another version is promoted meanwhile. Invalid input fails at once; anything
 * else is retried; an image that cannot be segmented is dead-lettered (INVALID_IMAGE or
 * SEGMENTATION_FAILED) before the workflow fails, so every accepted arrival gets an answer.
 *
 * <p>When the check named a shadow version (a live shadow run of the dataset), that version segments
 * the image too, after the promoted result is published: it cannot delay or change what was published,
 * it publishes nothing, and its failure (after one retry) is logged and leaves the workflow completed
 * with the promoted result. Histories recorded before shadow runs existed have no shadow version in
 * their check and replay unchanged.
 */
public final class InferenceWorkflowImpl implements InferenceWorkflow {

  private static final Logger LOG = Workflow.getLogger(InferenceWorkflowImpl.class);

  private final ArrivalActivities arrival;
  private final InferenceActivities inference;
  private final InferenceActivities shadowInference;

  public InferenceWorkflowImpl() {
    RetryOptions retry = RetryOptions.newBuilder()
        .setInitialInterval(Duration.ofSeconds(1))
        .setMaximumAttempts(5)
        .setDoNotRetry(PipelineWorkflow.INVALID_INPUT)
        .build();
    arrival = Workflow.newActivityStub(ArrivalActivities.class, ActivityOptions.newBuilder()
        .setTaskQueue(ArrivalActivities.TASK_QUEUE)
        .setStartToCloseTimeout(Duration.ofMinutes(2))
        .setRetryOptions(retry)
        .build());
    inference = Workflow.newActivityStub(InferenceActivities.class, ActivityOptions.newBuilder()
        .setTaskQueue(InferenceActivities.TASK_QUEUE)
        .setStartToCloseTimeout(Duration.ofMinutes(30))
        .setRetryOptions(retry)
        .build());
    shadowInference = Workflow.newActivityStub(InferenceActivities.class, ActivityOptions.newBuilder()
        .setTaskQueue(InferenceActivities.TASK_QUEUE)
        .setStartToCloseTimeout(Duration.ofMinutes(30))
        .setRetryOptions(RetryOptions.newBuilder()
            .setInitialInterval(Duration.ofSeconds(1))
            .setMaximumAttempts(2)
            .setDoNotRetry(PipelineWorkflow.INVALID_INPUT)
            .build())
        .build());
  }

  @Override
  public InferenceResult run(InferenceRequest request) {
    long started = Workflow.currentTimeMillis();
    ImageCheck check;
    long checked;
    SegmentationOutputs outputs;
    try {
      check = arrival.checkImage(request);
      checked = Workflow.currentTimeMillis();
      outputs = inference.segment(new SegmentRequest(request, check.modelVersion()));
    } catch (ActivityFailure e) {
      // the bridge accepted this image: downstream hears of the failure too, then the workflow fails
      arrival.publishFailed(new InferenceFailure(Workflow.getInfo().getWorkflowId(), request, isInvalidInput(e),
          describe(e)));
      throw e;
    }
    long segmented = Workflow.currentTimeMillis();
    InferenceResult result = new InferenceResult(Workflow.getInfo().getWorkflowId(), request, outputs, started,
        checked - started, segmented - checked, segmented);
    arrival.publishCompleted(result);
    if (check.shadowVersion() != null) {
      shadow(new ShadowRequest(request, check.shadowVersion(), outputs));
    }
    return result;
  }

  /** The shadow version's run; its failure is logged, the workflow's result stays the published one. */
  private void shadow(ShadowRequest request) {
    try {
      shadowInference.segmentShadow(request);
    } catch (ActivityFailure e) {
      LOG.warn("shadow version {} of {} could not segment {}: {}", request.shadowVersion(),
          request.request().dataset(), request.request().imageUri(), describe(e));
    }
  }

  private static boolean isInvalidInput(ActivityFailure e) {
    return e.getCause() instanceof ApplicationFailure a && PipelineWorkflow.INVALID_INPUT.equals(a.getType());
  }

  private static String describe(ActivityFailure e) {
    Throwable cause = e.getCause();
    String what = e.getActivityType() + " failed";
    if (cause instanceof ApplicationFailure a) {
      return what + ": " + a.getOriginalMessage();
    }
    return cause == null ? what : what + ": " + cause.getMessage();
  }
}
