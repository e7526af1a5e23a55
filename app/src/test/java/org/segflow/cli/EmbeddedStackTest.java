package org.segflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segflow.cli.metrics.MetricsServer;
import org.segflow.contract.PipelineWorkflow;
import org.segflow.storage.SegflowPaths;

/**
 * The one embedded stack of dev, demo and bench events: it ends with the message of a background part that
 * dies, stop() ends it without one, every port it opened is closed after close(), and a part that cannot
 * start takes down what had started before it.
 */
class EmbeddedStackTest {

  @Test
  void aBackgroundPartThatDiesEndsTheStackWithItsMessage(@TempDir Path home) throws Exception {
    CountDownLatch die = new CountDownLatch(1);
    EmbeddedStack.Builder parts = EmbeddedStack.builder(SegflowPaths.under(home))
        .embeddedKafka(home.resolve("kafka"), 0, 1)
        .bridge(stack -> new EmbeddedStack.Loop(() -> {
          try {
            die.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          throw new IllegalStateException("the consumer lost its group for good");
        }, () -> { }, null));
    int kafkaPort;
    int temporalPort;
    try (EmbeddedStack stack = parts.start()) {
      kafkaPort = port(stack.kafka().bootstrapServers());
      temporalPort = port(stack.temporalTarget());
      assertEquals(Optional.empty(), stack.failure(), "running");
      die.countDown();
      Optional<EmbeddedStack.Failure> failure = assertTimeoutPreemptively(Duration.ofSeconds(30), stack::await);
      assertTrue(failure.isPresent(), "await returns when the bridge dies");
      assertEquals("the Kafka bridge died (java.lang.IllegalStateException: the consumer lost its group for good); "
          + "arriving images would not be segmented", failure.get().message());
    }
    assertClosed(kafkaPort);
    assertClosed(temporalPort);
  }

  @Test
  void stopEndsTheStackWithoutAFailureAndCloseStopsEveryPart(@TempDir Path home) throws Exception {
    int temporalPort;
    int metricsPort;
    try (EmbeddedStack stack = EmbeddedStack.builder(SegflowPaths.under(home))
        .metrics(MetricsServer.LOOPBACK_ADDRESS, 0).workers(WorkerCommand.Pool.ORCHESTRATOR).start()) {
      assertEquals(List.of(PipelineWorkflow.TASK_QUEUE), stack.queues());
      assertTrue(stack.registry().isPresent());
      temporalPort = port(stack.temporalTarget());
      metricsPort = stack.metricsServer().orElseThrow().port();
      Thread stopper = new Thread(stack::stop, "stopper");
      stopper.start();
      assertEquals(Optional.empty(), assertTimeoutPreemptively(Duration.ofSeconds(30), stack::await));
      stopper.join();
    }
    assertClosed(temporalPort);
    assertClosed(metricsPort);
  }

  @Test
  void aPartThatCannotStartStopsThePartsStartedBeforeIt(@TempDir Path home) throws Exception {
    int metricsPort;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      metricsPort = free.getLocalPort();
    }
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      // the metrics endpoint starts first, then the Temporal server cannot have its port
      EmbeddedStack.Builder parts = EmbeddedStack.builder(SegflowPaths.under(home))
          .metrics(MetricsServer.LOOPBACK_ADDRESS, metricsPort).temporal("127.0.0.1", taken.getLocalPort());
      assertThrows(IOException.class, parts::start);
    }
    assertClosed(metricsPort);
  }

  private static int port(String hostPort) {
    return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
  }

  private static void assertClosed(int port) {
    assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close(), port + " is closed");
  }
}
