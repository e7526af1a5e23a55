package org.segflow.orchestrator;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import org.segflow.contract.ArrivalActivities;
import org.segflow.contract.ImageCheck;
import org.segflow.contract.InferenceActivities;
import org.segflow.contract.InferenceRequest;
import org.segflow.contract.InferenceResult;
import org.segflow.contract.InferenceWorkflow;
import org.segflow.contract.PipelineWorkflow;
import org.segflow.contract.SegmentRequest;
import org.segflow.contract.SegmentationOutputs;

/**
 * Check (cpu) -> segment with the promoted model (gpu) -> emit SegmentationCompleted (cpu). The model
 * version is chosen once, by the check, and recorded in history, so a retried segmentation uses the
 * same model even if another version is promoted meanwhile. Invalid input fails at once; anything
 * else is retried.
 */
public final class InferenceWorkflowImpl implements InferenceWorkflow {

  private final ArrivalActivities arrival;
  private final InferenceActivities inference;

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
  }

  @Override
  public InferenceResult run(InferenceRequest request) {
    long started = Workflow.currentTimeMillis();
    ImageCheck check = arrival.checkImage(request);
    long checked = Workflow.currentTimeMillis();
    SegmentationOutputs outputs = inference.segment(new SegmentRequest(request, check.modelVersion()));
    long segmented = Workflow.currentTimeMillis();
    InferenceResult result = new InferenceResult(Workflow.getInfo().getWorkflowId(), request, outputs, started,
        checked - started, segmented - checked, segmented);
    arrival.publishCompleted(result);
    return result;
  }
}
