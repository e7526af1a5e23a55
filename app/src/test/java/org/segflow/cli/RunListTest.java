package org.segflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.worker.WorkerFactory;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.segflow.bridge.InferenceStarter;
import org.segflow.contract.InferenceRequest;
import org.segflow.contract.InferenceResult;
import org.segflow.contract.InferenceWorkflow;
import org.segflow.contract.SegmentationOutputs;

/**
 * `segflow pipeline list` and `segflow inference list` on the embedded server: the runs `pipeline run` and
 * the bridge's starter started, newest first, with status, times and the dataset from their memo (no workers
 * run, so the workflows stay open until terminated here); a completed inference with its model version.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RunListTest {

  @Test
  void listsShowTheRunsWithTheirDataset() throws Exception {
    try (ServerCommand.EmbeddedServer server = ServerCommand.EmbeddedServer.start("127.0.0.1", 0)) {
      String target = "127.0.0.1:" + server.port();
      for (String run : List.of("r1", "r2")) {
        assertEquals(0, ok("pipeline", "run", "/nowhere", "-d", "8", "--name", "Listed", "--run", run, "--detach",
            "--temporal", target).code);
      }
      TemporalOptions temporal = TemporalOptions.loopback(server.port());
      WorkflowServiceStubs service = temporal.service();
      try {
        WorkflowClient client = temporal.client(service);
        client.newUntypedWorkflowStub("pipeline-Dataset008_Listed-r2").terminate("listed as closed");
        new InferenceStarter(client).start(new InferenceRequest("Dataset008_Listed", "/inbox/a.png",
            "file:///inbox/a.png", "ab12", 0, null));
      } finally {
        service.shutdownNow();
      }

      List<String> pipelines = ok("pipeline", "list", "--temporal", target).output.lines().toList();
      assertEquals(2, pipelines.size(), "the pipelines only, not the inference: " + pipelines);
      assertTrue(pipelines.get(0).matches("pipeline-Dataset008_Listed-r2  terminated  started \\S+Z  closed \\S+Z  "
          + "dataset=Dataset008_Listed run=r2 model=-"), "newest first, closed with its time: " + pipelines);
      assertTrue(pipelines.get(1).matches("pipeline-Dataset008_Listed-r1  running  started \\S+Z  closed -  "
          + "dataset=Dataset008_Listed run=r1 model=-"), pipelines.toString());

      List<String> inferences = ok("inference", "list", "--temporal", target).output.lines().toList();
      assertEquals(List.of("infer-Dataset008_Listed-ab12"), inferences.stream().map(l -> l.split(" ")[0]).toList());
      assertTrue(inferences.get(0).contains(" running ") && inferences.get(0).endsWith(
          "dataset=Dataset008_Listed run=- model=- image=file:///inbox/a.png"), inferences.toString());

      assertEquals(1, ok("pipeline", "list", "--temporal", target, "--limit", "1").output.lines().count());
    }
  }

  /** Segments nothing: answers as the real workflow does once the promoted version "v3" segmented the image. */
  public static final class SegmentedByV3 implements InferenceWorkflow {
    @Override
    public InferenceResult run(InferenceRequest request) {
      return new InferenceResult(request.workflowId(), request,
          new SegmentationOutputs("v3", null, null, null, 0.1, 8, 8, 1), 0, 0, 0, 0);
    }
  }

  @Test
  void aCompletedInferenceShowsTheModelVersionThatSegmentedIt() throws Exception {
    try (ServerCommand.EmbeddedServer server = ServerCommand.EmbeddedServer.start("127.0.0.1", 0)) {
      TemporalOptions temporal = TemporalOptions.loopback(server.port());
      WorkflowServiceStubs service = temporal.service();
      WorkerFactory factory = WorkerFactory.newInstance(temporal.client(service));
      try {
        factory.newWorker(InferenceWorkflow.TASK_QUEUE).registerWorkflowImplementationTypes(SegmentedByV3.class);
        factory.start();
        WorkflowClient client = temporal.client(service);
        InferenceRequest request = new InferenceRequest("Dataset009_Done", "/inbox/b.png", "file:///inbox/b.png",
            "cd34", 0, null);
        new InferenceStarter(client).start(request);
        client.newUntypedWorkflowStub(request.workflowId()).getResult(InferenceResult.class); // waits for the end

        String line = ok("inference", "list", "--temporal", temporal.target).output.strip();
        assertTrue(line.matches("infer-Dataset009_Done-cd34  completed  started \\S+Z  closed \\S+Z  "
            + "dataset=Dataset009_Done run=- model=v3 image=file:///inbox/b.png"), line);
      } finally {
        factory.shutdownNow();
        factory.awaitTermination(10, TimeUnit.SECONDS);
        service.shutdownNow();
      }
    }
  }

  private record Ran(int code, String output) { }

  private static Ran ok(String... args) throws InterruptedException {
    CommandRun run = CommandRun.start(args);
    int code = run.exitCode();
    assertEquals(0, code, run.output() + run.errors());
    return new Ran(code, run.output());
  }
}
