package org.segflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.WorkerFactory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segflow.sample.FundusSampleGenerator;
import org.segflow.sample.SampleSpec;
import org.segflow.storage.SegflowPaths;
import picocli.CommandLine;

/**
 * The embedded stack over real gRPC: the test server on 127.0.0.1 (an ephemeral port), workers for
 * every pool as `segflow worker --pool all` registers them, then `segflow pipeline run` follows a
 * one-fold pipeline to its end and `segflow status` prints the table.
 */
class PipelineCommandTest {

  @Test
  void pipelineRunFollowsTheWorkflowToItsEnd(@TempDir Path home) throws Exception {
    FundusSampleGenerator.generate(home.resolve("source"), new SampleSpec(6, 1, 64, 64, 3), true);
    try (ServerCommand.EmbeddedServer server = ServerCommand.EmbeddedServer.start("127.0.0.1", 0)) {
      String target = "127.0.0.1:" + server.port();
      assertEquals(1, server.addresses().size());
      assertTrue(((InetSocketAddress) server.addresses().get(0)).getAddress().isLoopbackAddress(),
          "bound to loopback only: " + server.addresses());
      WorkflowServiceStubs service = WorkflowServiceStubs.newServiceStubs(
          WorkflowServiceStubsOptions.newBuilder().setTarget(target).build());
      WorkerFactory factory = WorkerFactory.newInstance(WorkflowClient.newInstance(service,
          WorkflowClientOptions.newBuilder().setNamespace("default").build()));
      WorkerCommand.register(factory, WorkerCommand.Pool.ALL, SegflowPaths.under(home), 0, "cpu", 1);
      factory.start();
      try {
        String out = run(new PipelineCommand(), "run", home.resolve("source").toString(), "-d", "5", "--name",
            "Cli", "--epochs", "1", "--iterations-per-epoch", "2", "--val-iterations", "1", "--folds", "0",
            "--run", "t", "--poll-seconds", "1", "--temporal", target);
        assertTrue(out.contains("Started pipeline-Dataset005_Cli-t"), out);
        assertTrue(out.contains("Done: Dataset005_Cli (ingest ran, convert ran, fingerprint ran, plan ran; no fold from the fold cache)"), out);
        assertTrue(out.contains("fold 0: validation Dice"), out);
        assertTrue(out.lines().anyMatch(l -> l.matches("Test Dice \\(1 images\\): [01]\\.\\d{4} whole image, "
            + "[01]\\.\\d{4} inside the field of view")), out);
        assertTrue(out.contains("Overlays:    predictions/Dataset005_Cli/t/overlays"), out);
        assertTrue(Files.isDirectory(home.resolve("predictions/Dataset005_Cli/t/overlays")));
        assertTrue(Files.isRegularFile(home.resolve(
            "results/Dataset005_Cli/nnUNetTrainer__nnUNetPlans__2d/fold_0/checkpoint_final.zip")));

        String status = run(new StatusCommand(), "pipeline-Dataset005_Cli-t", "--temporal", target);
        assertTrue(status.startsWith("pipeline-Dataset005_Cli-t: done"), status);
        assertTrue(status.lines().anyMatch(l -> l.matches("\\s+0\\s+1/1\\s.*done")), status);
      } finally {
        factory.shutdownNow();
        service.shutdownNow();
      }
    }
  }

  private static String run(Object command, String... args) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream old = System.out;
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    int code;
    try {
      code = new CommandLine(command).execute(args);
    } finally {
      System.setOut(old);
    }
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertEquals(0, code, out);
    return out;
  }
}
