package org.segflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.CanceledFailure;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.WorkerFactory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segflow.contract.FoldProgress;
import org.segflow.contract.FoldState;
import org.segflow.contract.PipelineProgress;
import org.segflow.contract.PipelineStage;
import org.segflow.contract.PipelineRequest;
import org.segflow.contract.PipelineWorkflow;
import org.segflow.sample.FundusSampleGenerator;
import org.segflow.sample.SampleSpec;
import org.segflow.storage.SegflowPaths;
import org.segflow.train.Checkpoint;

/**
 * `segflow cancel` on a pipeline in the middle of a fold: the fold stops after its current epoch,
 * the pipeline ends cancelled only once it has, and the fold folder holds a consistent checkpoint
 * (its epoch count equals the epochs logged) from which training can continue.
 */
class CancelCommandTest {

  private static final int EPOCHS = 30;

  @Test
  void cancelStopsTheFoldAfterItsCurrentEpochWithAConsistentCheckpoint(@TempDir Path home) throws Exception {
    FundusSampleGenerator.generate(home.resolve("source"), new SampleSpec(6, 1, 64, 64, 5), true);
    Path fold = home.resolve("results/Dataset006_Cancel/nnUNetTrainer__nnUNetPlans__2d/fold_0");
    try (ServerCommand.EmbeddedServer server = ServerCommand.EmbeddedServer.start("127.0.0.1", 0)) {
      String target = "127.0.0.1:" + server.port();
      WorkflowServiceStubs service = WorkflowServiceStubs.newServiceStubs(
          WorkflowServiceStubsOptions.newBuilder().setTarget(target).build());
      WorkflowClient client = WorkflowClient.newInstance(service,
          WorkflowClientOptions.newBuilder().setNamespace("default").build());
      WorkerFactory factory = WorkerFactory.newInstance(client);
      WorkerCommand.register(factory, WorkerCommand.Pool.ALL, SegflowPaths.under(home), 0, "cpu", 1);
      factory.start();
      try {
        // a short heartbeat timeout: heartbeats (which carry the cancellation) go out every 0.8 of it
        PipelineRequest request = new PipelineRequest("source", 6, "Cancel", "gray", 8, EPOCHS, 3, 1, List.of(0),
            "c", 4);
        PipelineWorkflow wf = client.newWorkflowStub(PipelineWorkflow.class, WorkflowOptions.newBuilder()
            .setWorkflowId(request.workflowId()).setTaskQueue(PipelineWorkflow.TASK_QUEUE).build());
        WorkflowClient.start(wf::run, request);
        awaitCheckpoint(fold.resolve(Checkpoint.LATEST), 1);

        String out = run(new CancelCommand(), request.workflowId(), "--temporal", target);
        assertTrue(out.contains("Cancellation requested for " + request.workflowId()), out);
        WorkflowFailedException e = assertThrows(WorkflowFailedException.class,
            () -> WorkflowStub.fromTyped(wf).getResult(2, TimeUnit.MINUTES, Object.class));
        assertInstanceOf(CanceledFailure.class, e.getCause());

        PipelineProgress p = client.newWorkflowStub(PipelineWorkflow.class, request.workflowId()).progress();
        assertEquals(PipelineStage.CANCELLED, p.stage());
        FoldProgress f = p.folds().get(0);
        assertEquals(FoldState.CANCELLED, f.state());

        assertFalse(Files.exists(fold.resolve(Checkpoint.FINAL)));
        Checkpoint latest = Checkpoint.read(fold.resolve(Checkpoint.LATEST));
        int epoch = latest.state().currentEpoch();
        assertTrue(epoch >= 1 && epoch < EPOCHS, "stopped early, at epoch " + epoch);
        assertEquals(epoch, latest.state().logging().epochs(), "the checkpoint's curves cover exactly its epochs");
        assertEquals(epoch, epochsLogged(fold), "every epoch the log finished is in the checkpoint: none was cut");
        assertTrue(f.epoch() <= epoch, "progress " + f + " never runs ahead of the checkpoint");
      } finally {
        factory.shutdownNow();
        service.shutdownNow();
      }
    }
  }

  private static void awaitCheckpoint(Path latest, int epoch) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (System.nanoTime() < deadline) {
      if (Files.exists(latest) && Checkpoint.read(latest).state().currentEpoch() >= epoch) {
        return;
      }
      Thread.sleep(100); // poll interval; the deadline bounds the wait
    }
    fail("no checkpoint of epoch " + epoch + " in time: " + latest);
  }

  private static int epochsLogged(Path fold) throws Exception {
    try (Stream<Path> files = Files.list(fold)) {
      int n = 0;
      for (Path log : files.filter(x -> x.getFileName().toString().startsWith("training_log_")).toList()) {
        n += (int) Files.readString(log).lines().filter(l -> l.matches(".*: Epoch \\d+$")).count();
      }
      return n;
    }
  }

  private static String run(Object command, String... args) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream old = System.out;
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    int code;
    try {
      code = new picocli.CommandLine(command).execute(args);
    } finally {
      System.setOut(old);
    }
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertEquals(0, code, out);
    return out;
  }
}
