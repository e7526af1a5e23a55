package org.segflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segflow.bridge.KafkaSettings;
import org.segflow.contract.EventTopics;
import org.segflow.events.DeadLetter;

/**
 * `segflow dev` on free ports: Temporal answers, the bridge consumes (a bad record reaches the DLQ),
 * and stopping it as Ctrl-C does closes Temporal and Kafka with exit status 0.
 */
class DevCommandTest {

  @Test
  void servesTheStackUntilStopped(@TempDir Path home) throws Exception {
    CommandRun run = CommandRun.start("dev", "--port", "0", "--kafka-port", "0", "--metrics-port", "-1",
        "--device", "cpu", "--threads", "1", "--home", home.toString());
    int temporalPort;
    int kafkaPort;
    try {
      Matcher m = Pattern.compile("segflow dev: Temporal on 127\\.0\\.0\\.1:(\\d+), workers on .*, Kafka on "
          + "127\\.0\\.0\\.1:(\\d+) with the bridge").matcher(run.awaitOutput("segflow dev:"));
      assertTrue(m.find(), run.output());
      temporalPort = Integer.parseInt(m.group(1));
      kafkaPort = Integer.parseInt(m.group(2));
      WorkflowServiceStubs service = WorkflowServiceStubs.newServiceStubs(
          WorkflowServiceStubsOptions.newBuilder().setTarget("127.0.0.1:" + temporalPort).build());
      try {
        assertEquals("default", service.blockingStub().describeNamespace(
            DescribeNamespaceRequest.newBuilder().setNamespace("default").build()).getNamespaceInfo().getName());
      } finally {
        service.shutdownNow();
      }
      KafkaSettings kafka = KafkaSettings.of("127.0.0.1:" + kafkaPort);
      try (KafkaProducer<byte[], byte[]> producer = kafka.bytesProducer();
           TopicReader dlq = new TopicReader(kafka, EventTopics.IMAGES_ARRIVED_DLQ)) {
        producer.send(new ProducerRecord<>(EventTopics.IMAGES_ARRIVED, new byte[] {1, 2, 3})).get();
        assertEquals(DeadLetter.Reason.NOT_PROTOBUF, DeadLetter.parseFrom(dlq.await(1).get(0)).getReason());
      }
    } finally {
      run.<DevCommand>command("dev").stop();
      assertEquals(0, run.exitCode(), run.output() + run.errors());
    }
    for (int port : List.of(temporalPort, kafkaPort)) {
      assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close(), port + " is closed");
    }
    assertTrue(!run.errors().contains("Exception"), run.errors());
  }

  @Test
  void aBridgeThatDiesEndsTheStackWithExitStatusOne(@TempDir Path home) {
    DevCommand dev = new DevCommand();
    java.util.concurrent.atomic.AtomicInteger bridges = new java.util.concurrent.atomic.AtomicInteger();
    dev.bridge = stack -> new EmbeddedStack.Loop(() -> {
      bridges.incrementAndGet();
      throw new IllegalStateException("the consumer lost its group for good");
    }, () -> { }, null);
    int code = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofMinutes(2),
        () -> new picocli.CommandLine(dev).execute("--port", "0", "--kafka-port", "0", "--metrics-port", "-1",
            "--device", "cpu", "--threads", "1", "--home", home.toString()));
    assertEquals(1, code, "a stack without its bridge must not look alive");
    assertEquals(1, bridges.get());
  }

  @Test
  void metricsServeThisMachineOnlyUnlessToldOtherwise() {
    DevCommand dev = new DevCommand();
    new picocli.CommandLine(dev).parseArgs();
    assertEquals("127.0.0.1", dev.metricsAddress);
    new picocli.CommandLine(dev).parseArgs("--metrics-address", "0.0.0.0");
    assertEquals("0.0.0.0", dev.metricsAddress);
    BridgeCommand bridge = new BridgeCommand();
    new picocli.CommandLine(bridge).parseArgs();
    assertEquals("0.0.0.0", bridge.metricsAddress, "containers are scraped by their address");
  }
}
