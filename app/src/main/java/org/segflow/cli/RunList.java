package org.segflow.cli;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.ListClosedWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.ListClosedWorkflowExecutionsResponse;
import io.temporal.api.workflowservice.v1.ListOpenWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.ListOpenWorkflowExecutionsResponse;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsResponse;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc.WorkflowServiceBlockingStub;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionMetadata;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.segflow.contract.InferenceResult;
import org.segflow.contract.RunMemo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The runs of one workflow type from Temporal's visibility, newest first, one line each: workflow id,
 * status, start and close time, the dataset, run and image of the workflow's memo, and the model version
 * of a completed inference.
 * A server with advanced visibility answers the query {@code WorkflowType='...'}; the embedded test
 * server implements only the open and closed lists, and without memos, so there the type is filtered
 * here and each run is described for its memo.
 */
final class RunList {

  private static final int PAGE = 100;

  private RunList() {}

  /** One listed run. */
  record Run(String workflowId, String status, Instant started, Instant closed, String dataset, String run,
      String image, String modelVersion) {

    String line() {
      return String.format(Locale.ROOT, "%s  %s  started %s  closed %s  dataset=%s run=%s model=%s%s", workflowId,
          status, time(started), time(closed), dash(dataset), dash(run), dash(modelVersion),
          image == null ? "" : " image=" + image);
    }

    Run withModelVersion(String version) {
      return new Run(workflowId, status, started, closed, dataset, run, image, version);
    }

    private static String time(Instant t) {
      return t == null ? "-" : t.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static String dash(String s) {
      return s == null || s.isEmpty() ? "-" : s;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = {"List pipelines, newest first: workflow id, status, start and close time, dataset and run "
          + "name (from the workflow's memo; - for a pipeline started without one; model is -: the version "
          + "find-best publishes is in 'segflow models list').",
          "Lists what the server still holds: closed workflows go when the namespace's retention ends."})
  static final class Pipelines implements Callable<Integer> {

    @Option(names = "--limit", defaultValue = "50", description = "At most this many runs. Default: ${DEFAULT-VALUE}.")
    int limit;

    @Mixin
    TemporalOptions temporal;

    @Override
    public Integer call() {
      return print(temporal, "PipelineWorkflow", limit);
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = {"List the inference workflows the bridge started, newest first: workflow id, status, start "
          + "and close time, dataset and image (from the workflow's memo), and for a completed one the model "
          + "version that segmented the image (from its result).",
          "Lists what the server still holds: closed workflows go when the namespace's retention ends."})
  static final class Inferences implements Callable<Integer> {

    @Option(names = "--limit", defaultValue = "50", description = "At most this many runs. Default: ${DEFAULT-VALUE}.")
    int limit;

    @Mixin
    TemporalOptions temporal;

    @Override
    public Integer call() {
      return print(temporal, "InferenceWorkflow", limit);
    }
  }

  private static int print(TemporalOptions temporal, String workflowType, int limit) {
    WorkflowServiceStubs service = temporal.service();
    try {
      List<Run> runs = list(temporal.client(service), workflowType, limit);
      runs.forEach(r -> System.out.println(r.line()));
      if (runs.isEmpty()) {
        System.err.printf("segflow: no %s in namespace %s at %s%n", workflowType, temporal.namespace, temporal.target);
      }
      return 0;
    } finally {
      service.shutdown();
    }
  }

  static List<Run> list(WorkflowClient client, String workflowType, int limit) {
    List<WorkflowExecutionInfo> infos;
    try {
      infos = byQuery(client, workflowType, limit);
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() != Status.Code.UNIMPLEMENTED) {
        throw e;
      }
      infos = openAndClosed(client, workflowType, limit);
    }
    return infos.stream().map(i -> withModelVersion(client, i, run(client, i))).toList();
  }

  /**
   * The workflow picks the model version when it runs, so the memo cannot carry it: a completed inference's
   * result says which version segmented the image.
   */
  private static Run withModelVersion(WorkflowClient client, WorkflowExecutionInfo info, Run run) {
    if (run.modelVersion() != null || !info.getType().getName().equals("InferenceWorkflow")
        || info.getStatus() != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED) {
      return run;
    }
    InferenceResult result = client.newUntypedWorkflowStub(info.getExecution(), Optional.empty())
        .getResult(InferenceResult.class);
    return result.outputs() == null ? run : run.withModelVersion(result.outputs().modelVersion());
  }

  private static List<WorkflowExecutionInfo> byQuery(WorkflowClient client, String workflowType, int limit) {
    List<WorkflowExecutionInfo> infos = new ArrayList<>();
    ByteString token = ByteString.EMPTY;
    do {
      ListWorkflowExecutionsResponse r = stub(client).listWorkflowExecutions(ListWorkflowExecutionsRequest.newBuilder()
          .setNamespace(client.getOptions().getNamespace()).setQuery("WorkflowType='" + workflowType + "'")
          .setPageSize(Math.min(PAGE, limit)).setNextPageToken(token).build());
      infos.addAll(r.getExecutionsList());
      token = r.getNextPageToken();
    } while (!token.isEmpty() && infos.size() < limit);
    return infos.subList(0, Math.min(limit, infos.size()));
  }

  /** The test server's lists ignore the type filter and carry no memo: filtered here, then described. */
  private static List<WorkflowExecutionInfo> openAndClosed(WorkflowClient client, String workflowType, int limit) {
    String namespace = client.getOptions().getNamespace();
    List<WorkflowExecutionInfo> all = new ArrayList<>();
    ByteString token = ByteString.EMPTY;
    do {
      ListOpenWorkflowExecutionsResponse r = stub(client).listOpenWorkflowExecutions(
          ListOpenWorkflowExecutionsRequest.newBuilder().setNamespace(namespace).setMaximumPageSize(PAGE)
              .setNextPageToken(token).build());
      all.addAll(r.getExecutionsList());
      token = r.getNextPageToken();
    } while (!token.isEmpty());
    do {
      ListClosedWorkflowExecutionsResponse r = stub(client).listClosedWorkflowExecutions(
          ListClosedWorkflowExecutionsRequest.newBuilder().setNamespace(namespace).setMaximumPageSize(PAGE)
              .setNextPageToken(token).build());
      all.addAll(r.getExecutionsList());
      token = r.getNextPageToken();
    } while (!token.isEmpty());
    return all.stream().filter(i -> i.getType().getName().equals(workflowType))
        .sorted(Comparator.comparing((WorkflowExecutionInfo i) -> seconds(i.getStartTime())).reversed())
        .limit(limit)
        .map(i -> i.hasMemo() && i.getMemo().getFieldsCount() > 0 ? i : described(client, i.getExecution()))
        .toList();
  }

  private static WorkflowExecutionInfo described(WorkflowClient client, WorkflowExecution execution) {
    return stub(client).describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
        .setNamespace(client.getOptions().getNamespace()).setExecution(execution).build()).getWorkflowExecutionInfo();
  }

  private static Run run(WorkflowClient client, WorkflowExecutionInfo info) {
    WorkflowExecutionMetadata m = new WorkflowExecutionMetadata(info, client.getOptions().getDataConverter());
    return new Run(info.getExecution().getWorkflowId(),
        m.getStatus().name().replace("WORKFLOW_EXECUTION_STATUS_", "").toLowerCase(Locale.ROOT),
        info.hasStartTime() ? m.getStartTime() : null, info.hasCloseTime() ? m.getCloseTime() : null,
        memo(m, RunMemo.DATASET), memo(m, RunMemo.RUN), memo(m, RunMemo.IMAGE), memo(m, RunMemo.MODEL_VERSION));
  }

  private static String memo(WorkflowExecutionMetadata m, String key) {
    Object v = m.getMemo(key, String.class);
    return v == null ? null : v.toString();
  }

  private static double seconds(Timestamp t) {
    return t.getSeconds() + t.getNanos() / 1e9;
  }

  private static WorkflowServiceBlockingStub stub(WorkflowClient client) {
    return client.getWorkflowServiceStubs().blockingStub().withDeadlineAfter(30, TimeUnit.SECONDS);
  }
}
