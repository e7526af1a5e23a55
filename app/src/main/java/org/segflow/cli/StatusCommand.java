package org.segflow.cli;

import io.temporal.serviceclient.WorkflowServiceStubs;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.segflow.contract.FoldProgress;
import org.segflow.contract.PipelineProgress;
import org.segflow.contract.PipelineWorkflow;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Print a pipeline's stage and, per fold, epoch / total, losses, pseudo Dice, EMA and state.")
final class StatusCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "WORKFLOW_ID", description = "e.g. pipeline-Dataset002_CHASEDB1-run1")
  String workflowId;

  @Mixin
  TemporalOptions temporal;

  @Override
  public Integer call() {
    WorkflowServiceStubs service = temporal.service();
    try {
      PipelineProgress p = temporal.client(service).newWorkflowStub(PipelineWorkflow.class, workflowId).progress();
      System.out.print(table(workflowId, p));
      return 0;
    } finally {
      service.shutdown();
    }
  }

  /** The progress as a fixed-width table, one line per fold. */
  static String table(String workflowId, PipelineProgress p) {
    StringBuilder sb = new StringBuilder();
    sb.append(workflowId).append(": ").append(p.stage()).append('\n');
    if (!p.folds().isEmpty()) {
      sb.append(String.format(Locale.ROOT, "%4s %11s %10s %10s %8s %8s %8s  %s%n", "fold", "epoch", "train", "val",
          "dice", "ema", "best", "state"));
    }
    for (FoldProgress f : p.folds()) {
      sb.append(String.format(Locale.ROOT, "%4d %11s %10s %10s %8s %8s %8s  %s%n", f.fold(),
          f.epoch() + "/" + f.numEpochs(), num(f.trainLoss()), num(f.valLoss()), num(f.pseudoDice()), num(f.ema()),
          num(f.bestEma()), f.state().name().toLowerCase(Locale.ROOT)));
    }
    return sb.toString();
  }

  private static String num(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : "-";
  }
}
