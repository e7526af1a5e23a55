package org.segflow.cli;

import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.PendingActivityState;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.common.converter.DataConverter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.segflow.contract.FoldHeartbeat;
import org.segflow.contract.FoldProgress;
import org.segflow.contract.FoldState;
import org.segflow.contract.PipelineProgress;
import org.segflow.train.ScheduleCost;

/**
 * A pipeline's progress as fresh as its folds' heartbeats. The workflow's progress() query knows the
 * stage and each fold's state, but a fold signals the workflow only on a bounded number of epochs (the
 * history must not grow with the schedule); every epoch's figures are in the fold activity's
 * heartbeat, which DescribeWorkflowExecution returns without touching the history or a worker.
 */
final class LiveProgress {

  private LiveProgress() {}

  /** The newest heartbeat progress of each fold whose training is running, by fold. */
  static Map<Integer, FoldProgress> runningFolds(WorkflowClient client, String workflowId) {
    List<PendingActivityInfo> pending = client.getWorkflowServiceStubs().blockingStub()
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
            .setNamespace(client.getOptions().getNamespace())
            .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
            .build())
        .getPendingActivitiesList();
    DataConverter converter = client.getOptions().getDataConverter();
    Map<Integer, FoldProgress> folds = new TreeMap<>();
    for (PendingActivityInfo a : pending) {
      if (WorkflowDescription.TRAIN_FOLD.equals(a.getActivityType().getName())
          && a.getState() == PendingActivityState.PENDING_ACTIVITY_STATE_STARTED
          && a.hasHeartbeatDetails() && a.getHeartbeatDetails().getPayloadsCount() > 0) {
        FoldHeartbeat h = converter.fromPayloads(0, Optional.of(a.getHeartbeatDetails()), FoldHeartbeat.class,
            FoldHeartbeat.class);
        if (h != null && h.progress() != null) {
          folds.put(h.progress().fold(), h.progress());
        }
      }
    }
    return folds;
  }

  /** The same from a description already fetched ({@code segflow status}). */
  static Map<Integer, FoldProgress> runningFolds(List<WorkflowDescription.PendingStep> pending) {
    Map<Integer, FoldProgress> folds = new TreeMap<>();
    for (WorkflowDescription.PendingStep p : pending) {
      if (WorkflowDescription.TRAIN_FOLD.equals(p.activity()) && "started".equals(p.state())
          && p.heartbeat() != null && p.heartbeat().progress() != null) {
        folds.put(p.heartbeat().progress().fold(), p.heartbeat().progress());
      }
    }
    return folds;
  }

  /**
   * The queried progress with each running fold replaced by its heartbeat's when that is as far or
   * further (a signal may be newer than a throttled heartbeat for a moment).
   */
  static PipelineProgress merge(PipelineProgress queried, Map<Integer, FoldProgress> running) {
    List<FoldProgress> folds = new ArrayList<>();
    for (FoldProgress f : queried.folds()) {
      FoldProgress live = running.get(f.fold());
      folds.add(f.state() == FoldState.RUNNING && live != null && live.epoch() >= f.epoch()
          ? live.withState(FoldState.RUNNING) : f);
    }
    return new PipelineProgress(queried.stage(), folds);
  }

  /**
   * Seconds until the last fold ends: the running folds' time left, then the pending folds in rounds
   * over as many workers as folds run now (at least one), each at the mean epoch time seen; NaN while
   * no fold has an epoch time.
   */
  static double remainingSeconds(PipelineProgress p) {
    double perEpoch = p.folds().stream().mapToDouble(FoldProgress::secondsPerEpoch).filter(Double::isFinite)
        .average().orElse(Double.NaN);
    if (Double.isNaN(perEpoch)) {
      return Double.NaN;
    }
    long running = p.folds().stream().filter(f -> f.state() == FoldState.RUNNING).count();
    double runningLeft = p.folds().stream().filter(f -> f.state() == FoldState.RUNNING)
        .mapToDouble(f -> Double.isFinite(f.secondsPerEpoch()) ? f.remainingSeconds()
            : (f.numEpochs() - f.epoch()) * perEpoch)
        .max().orElse(0);
    List<FoldProgress> pending = p.folds().stream().filter(f -> f.state() == FoldState.PENDING).toList();
    if (pending.isEmpty()) {
      return runningLeft;
    }
    int workers = (int) Math.max(1, running);
    int rounds = (pending.size() + workers - 1) / workers;
    return runningLeft + rounds * pending.get(0).numEpochs() * perEpoch;
  }

  /** The whole schedule's cost once the first running fold knows its epoch time, else empty. */
  static Optional<ScheduleCost> cost(PipelineProgress p, int iterations) {
    List<FoldProgress> known = p.folds().stream()
        .filter(f -> f.state() == FoldState.RUNNING && Double.isFinite(f.secondsPerEpoch())).toList();
    if (known.isEmpty()) {
      return Optional.empty();
    }
    FoldProgress f = known.get(0);
    long running = p.folds().stream().filter(x -> x.state() == FoldState.RUNNING).count();
    long toTrain = p.folds().stream().filter(x -> x.state() != FoldState.DONE).count();
    return Optional.of(new ScheduleCost(f.numEpochs(), 0, iterations, f.secondsPerEpoch(),
        f.epoch() > 0 ? f.epoch() + (f.epoch() == 1 ? " epoch" : " epochs") + " of fold " + f.fold()
            : "the first iterations of fold " + f.fold(),
        (int) Math.max(1, toTrain), (int) Math.max(1, running)));
  }
}
