package org.segflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.segflow.bridge.InferenceStarter;
import org.segflow.contract.InferenceRequest;

/**
 * `segflow pipeline list` and `segflow inference list` on the embedded server: the runs `pipeline run` and
 * the bridge's starter started, newest first, with status, times and the dataset from their memo. No
 * workers run, so the workflows stay open until terminated here.
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

  private record Ran(int code, String output) { }

  private static Ran ok(String... args) throws InterruptedException {
    CommandRun run = CommandRun.start(args);
    int code = run.exitCode();
    assertEquals(0, code, run.output() + run.errors());
    return new Ran(code, run.output());
  }
}
