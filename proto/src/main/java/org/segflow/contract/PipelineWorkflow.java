package org.segflow.contract;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * The whole pipeline as one workflow on {@value #TASK_QUEUE}: ingest -> convert -> fingerprint ->
 * plan (with preprocessing and splits) -> the requested folds trained in parallel (a fold the fold
 * cache finds finished is never sent to the gpu queue) -> find-best over the folds -> predict the
 * test images ({@link PipelineStage}). Its id is {@link PipelineRequest#workflowId()}.
 */
@WorkflowInterface
public interface PipelineWorkflow {

  String TASK_QUEUE = "segflow-orchestrator";

  /** The failure type of input that can never succeed as given; such failures are not retried. */
  String INVALID_INPUT = "InvalidInput";

  /** Signal name of {@link #foldProgress}, for senders that hold only the workflow id. */
  String FOLD_PROGRESS_SIGNAL = "foldProgress";

  @WorkflowMethod
  PipelineResult run(PipelineRequest request);

  /** The stage and each fold's epoch, losses, pseudo Dice, EMA and state. */
  @QueryMethod
  PipelineProgress progress();

  /** Sent by a fold's activity after each epoch. */
  @SignalMethod(name = FOLD_PROGRESS_SIGNAL)
  void foldProgress(FoldProgress progress);
}
