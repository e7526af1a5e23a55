package org.segflow.cli;

import io.temporal.serviceclient.WorkflowServiceStubs;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "cancel", mixinStandardHelpOptions = true,
    description = "Cancel a pipeline: running folds stop after their current epoch's checkpoint.")
final class CancelCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "WORKFLOW_ID", description = "The workflow to cancel, e.g. "
      + "pipeline-Dataset002_CHASEDB1-run1.")
  String workflowId;

  @Mixin
  TemporalOptions temporal;

  @Override
  public Integer call() {
    WorkflowServiceStubs service = temporal.service();
    try {
      temporal.client(service).newUntypedWorkflowStub(workflowId).cancel();
      System.out.println("Cancellation requested for " + workflowId);
      return 0;
    } finally {
      service.shutdown();
    }
  }
}
