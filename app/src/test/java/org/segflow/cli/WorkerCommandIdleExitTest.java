package org.segflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.WorkerFactory;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `segflow worker --exit-when-idle`: a worker process with no activity exits 0 after the duration, saying
 * why; a running activity (a fold, hours long) keeps it alive however long it runs, and the idle time
 * counts from the activity's end. On the embedded Temporal server.
 */
class WorkerCommandIdleExitTest {

  private static final String QUEUE = "segflow-idle-exit-test";

  @Test
  void anIdleWorkerProcessExitsZeroAndSaysWhy(@TempDir Path home) throws Exception {
    try (ServerCommand.EmbeddedServer server = ServerCommand.EmbeddedServer.start("127.0.0.1", 0)) {
      // its own process: the exit's graceful stop marks the whole JVM's workers as stopping (WorkerStop)
      Path log = home.resolve("worker.log");
      Path java = Path.of(System.getProperty("java.home"), "bin", "java");
      long started = System.nanoTime();
      Process worker = new ProcessBuilder(java.toString(), "-Xmx512m", "-XX:TieredStopAtLevel=1", "-cp",
          System.getProperty("java.class.path"),
          SegflowCommand.class.getName(), "worker", "--pool", "gpu", "--temporal", "127.0.0.1:" + server.port(),
          "--device", "cpu", "--threads", "1", "--exit-when-idle", "2s", "--metrics-port", "-1",
          "--home", home.toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      try {
        assertTrue(worker.waitFor(120, TimeUnit.SECONDS), "the idle worker did not exit:\n" + Files.readString(log));
      } finally {
        worker.destroyForcibly();
      }
      String output = Files.readString(log, StandardCharsets.UTF_8);
      assertEquals(0, worker.exitValue(), output);
      assertEquals(1, output.lines().filter(l -> l.contains("--exit-when-idle")).count(), output);
      assertTrue(output.contains("segflow worker: no activity for PT2S (--exit-when-idle): exiting"), output);
      assertTrue(System.nanoTime() - started >= TimeUnit.SECONDS.toNanos(2), "exited before 2 s of idleness");
    }
  }

  @Test
  void aRunningActivityKeepsTheWorkerAliveAndIdlenessCountsFromItsEnd() throws Exception {
    try (ServerCommand.EmbeddedServer server = ServerCommand.EmbeddedServer.start("127.0.0.1", 0)) {
      WorkflowServiceStubs service = WorkflowServiceStubs.newServiceStubs(
          WorkflowServiceStubsOptions.newBuilder().setTarget("127.0.0.1:" + server.port()).build());
      WorkflowClient client = WorkflowClient.newInstance(service,
          WorkflowClientOptions.newBuilder().setNamespace("default").build());
      IdleExit idle = new IdleExit();
      WorkerFactory factory = WorkerCommand.newFactory(client, idle); // as `segflow worker` builds it
      io.temporal.worker.Worker worker = factory.newWorker(QUEUE);
      worker.registerWorkflowImplementationTypes(OneHold.class);
      worker.registerActivitiesImplementations(new HoldImpl());
      factory.start();
      CountDownLatch neverStopped = new CountDownLatch(1);
      try {
        HoldWorkflow wf = client.newWorkflowStub(HoldWorkflow.class,
            WorkflowOptions.newBuilder().setTaskQueue(QUEUE).setWorkflowId("idle-exit-hold").build());
        WorkflowClient.start(wf::run);
        assertTrue(HoldImpl.entered.await(60, TimeUnit.SECONDS), "the activity did not start");
        assertEquals(1, idle.running());

        Duration idleFor = Duration.ofMillis(500);
        CompletableFuture<Boolean> exits = CompletableFuture.supplyAsync(() -> {
          try {
            return idle.await(idleFor, neverStopped);
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
        });
        // four times the idle time with the activity running: no exit
        Thread.sleep(4 * idleFor.toMillis());
        assertFalse(exits.isDone(), "exited while an activity ran");
        assertEquals(1, idle.running());

        long released = System.nanoTime();
        HoldImpl.release.countDown();
        assertTrue(exits.get(30, TimeUnit.SECONDS), "idle after the activity ended");
        assertTrue(System.nanoTime() - released >= idleFor.toNanos(), "exited sooner than the idle time after the end");
        assertEquals(0, idle.running());
        assertEquals("held", client.newUntypedWorkflowStub("idle-exit-hold").getResult(30, TimeUnit.SECONDS, String.class));
      } finally {
        HoldImpl.release.countDown();
        factory.shutdownNow();
        service.shutdownNow();
      }
    }
  }

  @Test
  void stoppingWinsOverIdling() throws Exception {
    IdleExit idle = new IdleExit();
    CountDownLatch stopped = new CountDownLatch(1);
    idle.started();
    stopped.countDown();
    assertFalse(idle.await(Duration.ofMillis(1), stopped), "a stopping worker is not an idle exit");
  }

  @Test
  void offByDefaultAndOnlyForPoolsWithActivities(@TempDir Path home) throws Exception {
    assertNull(SegflowCommand.commandLine().getSubcommands().get("worker").getCommandSpec()
        .findOption("--exit-when-idle").defaultValue(), "--exit-when-idle is off by default");
    for (String[] args : new String[][] {{"--pool", "orchestrator", "--exit-when-idle", "10m"},
        {"--pool", "gpu", "--exit-when-idle", "0s"}}) {
      CommandRun run = CommandRun.start("worker", args[0], args[1], args[2], args[3], "--metrics-port", "-1",
          "--temporal", "127.0.0.1:1", "--home", home.toString());
      assertNotEquals(0, run.exitCode(), String.join(" ", args));
      assertTrue(run.errors().contains("--exit-when-idle"), run.errors());
    }
  }

  @WorkflowInterface
  public interface HoldWorkflow {
    @WorkflowMethod
    String run();
  }

  @ActivityInterface
  public interface Hold {
    String hold();
  }

  public static final class OneHold implements HoldWorkflow {
    @Override
    public String run() {
      return Workflow.newActivityStub(Hold.class, ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofMinutes(2)).build()).hold();
    }
  }

  /** Holds until released, as a fold holds its activity for hours. */
  public static final class HoldImpl implements Hold {
    static final CountDownLatch entered = new CountDownLatch(1);
    static final CountDownLatch release = new CountDownLatch(1);

    @Override
    public String hold() {
      entered.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return "held";
    }
  }
}
