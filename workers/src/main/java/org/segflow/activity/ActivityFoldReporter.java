package org.segflow.activity;

import io.temporal.activity.ActivityExecutionContext;
import io.temporal.activity.ActivityInfo;
import io.temporal.client.WorkflowStub;
import org.segflow.contract.FoldHeartbeat;
import org.segflow.contract.FoldProgress;
import org.segflow.contract.PipelineWorkflow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Heartbeats through the activity context and signals progress to the workflow that started it. */
final class ActivityFoldReporter implements FoldReporter {

  private static final Logger LOG = LoggerFactory.getLogger(ActivityFoldReporter.class);

  private final ActivityExecutionContext ctx;

  ActivityFoldReporter(ActivityExecutionContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void heartbeat(FoldHeartbeat details) {
    ctx.heartbeat(details);
  }

  @Override
  public void progress(FoldProgress progress) {
    ActivityInfo info = ctx.getInfo();
    try {
      WorkflowStub wf = ctx.getWorkflowClient().newUntypedWorkflowStub(info.getWorkflowId());
      wf.signal(PipelineWorkflow.FOLD_PROGRESS_SIGNAL, progress);
    } catch (RuntimeException e) {
      LOG.warn("fold {}: progress signal to {} failed ({}); training goes on", progress.fold(),
          info.getWorkflowId(), e.toString());
    }
  }
}
