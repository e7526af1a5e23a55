package org.segflow.cli;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.segflow.contract.FoldHeartbeat;
import org.segflow.contract.FoldProgress;
import org.segflow.contract.FoldState;
import org.segflow.contract.PipelineProgress;
import org.segflow.contract.PipelineStage;
import org.segflow.contract.PipelineWorkflow;
import org.segflow.HumanDuration;
import org.segflow.InvalidInputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "status", mixinStandardHelpOptions = true,
    description = {"Print a pipeline's stage and, per fold, epoch / total, losses, pseudo Dice, EMA and state.",
        "An inference-... workflow, or a pipeline without an orchestrator worker to answer that query: the "
            + "server's view instead (status, running "
            + "activities with attempt and last heartbeat: epoch, checkpoint, best EMA). A closed pipeline also "
            + "gets its result or failure."})
final class StatusCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "WORKFLOW_ID", description = "e.g. pipeline-Dataset002_CHASEDB1-run1")
  String workflowId;

  @Option(names = "--query-timeout", defaultValue = "5s", converter = DurationConverter.class,
      description = "How long the progress query may wait for an orchestrator worker. Default: ${DEFAULT-VALUE}.")
  Duration queryTimeout;

  @Mixin
  TemporalOptions temporal;

  @Override
  public Integer call() {
    WorkflowServiceStubs service = temporal.service();
    try {
      WorkflowClient client = temporal.client(service);
      WorkflowDescription d;
      try {
        d = WorkflowDescription.fetch(client, workflowId);
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
          throw new InvalidInputException("no workflow " + workflowId + " in namespace " + temporal.namespace
              + " at " + temporal.target + " (see 'segflow pipeline list' and 'segflow inference list')");
        }
        throw e;
      }
      if (!hasProgressQuery(d.type())) {
        System.out.print(described(d, null, Instant.now()));
      } else {
        printProgress(client, d);
      }
      if (d.ending() != null) {
        System.out.printf("%s %s at %s%n", workflowId, d.ending().summary(), d.closed());
        if (d.ending().pipelineResult() != null) {
          PipelineCommand.Run.print(d.ending().pipelineResult());
        }
      }
      return 0;
    } finally {
      service.shutdown();
    }
  }

  /**
   * Only a pipeline answers the progress query; asking another workflow (an inference-... started by the bridge)
   * makes its worker fail the query with "Unknown query type" and log the stack trace, so those get the server's
   * view straight away.
   */
  static boolean hasProgressQuery(String workflowType) {
    return "PipelineWorkflow".equals(workflowType);
  }

  private void printProgress(WorkflowClient client, WorkflowDescription d) {
    ProgressQuery.Answer answer = ProgressQuery.ask(client, workflowId, queryTimeout);
    if (answer.answered()) {
      // the description already holds the folds' heartbeats: no second DescribeWorkflowExecution
      System.out.print(table(workflowId, LiveProgress.merge(answer.progress(), LiveProgress.runningFolds(d.pending()))));
    } else {
      System.out.print(described(d, answer.unanswered() + "; "
          + TaskQueuePollers.describe(client, d.taskQueue()), Instant.now()));
    }
  }

  /**
   * The queried progress with each running fold's figures from its newest heartbeat; the query's own
   * when the server cannot be asked (the table is still worth printing).
   */
  static PipelineProgress withHeartbeats(WorkflowClient client, String workflowId, PipelineProgress queried) {
    try {
      return LiveProgress.merge(queried, LiveProgress.runningFolds(client, workflowId));
    } catch (StatusRuntimeException e) {
      return queried;
    }
  }

  /**
   * The server's view of a workflow, one line per pending activity: a pipeline whose progress query went
   * unanswered ({@code whyUnanswered}), or a workflow without that query ({@code whyUnanswered} null).
   */
  static String described(WorkflowDescription d, String whyUnanswered, Instant now) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%s: %s (%s on %s, started %s)%n", d.workflowId(),
        d.status().name().replace("WORKFLOW_EXECUTION_STATUS_", "").toLowerCase(Locale.ROOT), d.type(),
        d.taskQueue(), d.started()));
    if (whyUnanswered != null) {
      sb.append("progress query not answered: ").append(whyUnanswered).append('\n');
    }
    if (d.pending().isEmpty()) {
      return sb.append(d.isOpen() ? "no activity scheduled or running\n" : "").toString();
    }
    sb.append(String.format(Locale.ROOT, "%-10s %4s %7s %-16s %-34s %5s %8s  %s%n", "activity", "fold", "attempt",
        "state", "last heartbeat", "epoch", "best", "checkpoint"));
    for (WorkflowDescription.PendingStep p : d.pending()) {
      FoldHeartbeat h = p.heartbeat();
      sb.append(String.format(Locale.ROOT, "%-10s %4s %7s %-16s %-34s %5s %8s  %s%n", p.activity(),
          p.fold() == null ? "-" : p.fold().toString(),
          p.attempt() + (p.maximumAttempts() > 0 ? "/" + p.maximumAttempts() : ""), p.state(),
          p.lastHeartbeat() == null ? "-" : p.lastHeartbeat().truncatedTo(ChronoUnit.SECONDS) + " ("
              + Duration.between(p.lastHeartbeat(), now).toSeconds() + " s ago)",
          h == null ? "-" : Integer.toString(h.epoch()), h == null ? "-" : num(h.bestEma()),
          h != null ? (h.checkpoint().isEmpty() ? "-" : h.checkpoint())
              : p.otherHeartbeat() == null ? "-" : "details " + p.otherHeartbeat()));
      if (p.lastFailure() != null && !p.lastFailure().isEmpty()) {
        sb.append("           last failure: ").append(p.lastFailure()).append('\n');
      }
    }
    return sb.toString();
  }

  /**
   * The progress as a fixed-width table, one line per fold with its epoch time and time left, then the
   * pipeline's time left while folds train.
   */
  static String table(String workflowId, PipelineProgress p) {
    StringBuilder sb = new StringBuilder();
    sb.append(workflowId).append(": ").append(p.stage()).append('\n');
    if (!p.folds().isEmpty()) {
      sb.append(String.format(Locale.ROOT, "%4s %11s %10s %10s %8s %8s %8s %9s %9s  %s%n", "fold", "epoch", "train",
          "val", "dice", "ema", "best", "s/epoch", "left", "state"));
    }
    for (FoldProgress f : p.folds()) {
      boolean running = f.state() == FoldState.RUNNING;
      sb.append(String.format(Locale.ROOT, "%4d %11s %10s %10s %8s %8s %8s %9s %9s  %s%n", f.fold(),
          f.epoch() + "/" + f.numEpochs(), num(f.trainLoss()), num(f.valLoss()), num(f.pseudoDice()), num(f.ema()),
          num(f.bestEma()), Double.isFinite(f.secondsPerEpoch()) ? String.format(Locale.ROOT, "%.1f",
              f.secondsPerEpoch()) : "-", running ? HumanDuration.of(f.remainingSeconds()) : "-",
          f.state().name().toLowerCase(Locale.ROOT)));
    }
    double left = LiveProgress.remainingSeconds(p);
    if (p.stage() == PipelineStage.TRAIN && Double.isFinite(left)) {
      sb.append("time left for the folds: about ").append(HumanDuration.of(left)).append('\n');
    }
    return sb.toString();
  }

  private static String num(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : "-";
  }
}
