package org.segflow.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Timestamp;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segflow.bridge.EmbeddedKafka;
import org.segflow.bridge.KafkaSettings;
import org.segflow.contract.EventTopics;
import org.segflow.contract.InferenceWorkflow;
import org.segflow.contract.Sha256;
import org.segflow.events.DeadLetter;
import org.segflow.events.ImageArrived;
import org.segflow.pipeline.TrainedSample;
import org.segflow.predict.ModelFiles;
import org.segflow.registry.ModelRegistry;
import org.segflow.storage.SegflowPaths;

/**
 * `segflow bridge` against a real broker and the embedded Temporal server: an ImageArrived for an
 * image in the inbox starts its InferenceWorkflow, a record that is not protobuf goes to the DLQ whole.
 */
class BridgeCommandTest {

  @Test
  void startsAWorkflowPerImageAndDeadLettersABadRecord(@TempDir Path home) throws Exception {
    TrainedSample.train(home, 8, 1, 2, "0");
    SegflowPaths paths = SegflowPaths.under(home);
    new ModelRegistry(paths).publish(new ModelRegistry.Publication("8", "2d", "nnUNetPlans", List.of("0"),
        ModelFiles.CheckpointChoice.FINAL));
    Path image = Files.write(Files.createDirectories(paths.inbox().resolve("Dataset008_Sample")).resolve("x.png"),
        new byte[] {7, 7, 7});
    String sha = Sha256.of(image);
    try (EmbeddedKafka kafka = EmbeddedKafka.start(home.resolve("kafka"), 0);
         ServerCommand.EmbeddedServer temporal = ServerCommand.EmbeddedServer.start("127.0.0.1", 0)) {
      KafkaSettings settings = KafkaSettings.of(kafka.bootstrapServers());
      settings.createTopics(1, (short) 1);
      String target = "127.0.0.1:" + temporal.port();
      CommandRun run = CommandRun.start("bridge", "--temporal", target, "--bootstrap-servers",
          kafka.bootstrapServers(), "--home", home.toString(), "--metrics-port", "-1");
      run.awaitOutput("segflow bridge: " + EventTopics.IMAGES_ARRIVED);
      byte[] junk = "{\"dataset\": \"8\"}".getBytes(StandardCharsets.UTF_8);
      Instant now = Instant.now();
      ImageArrived event = ImageArrived.newBuilder().setDataset("8").setImageUri(image.toUri().toString())
          .setSha256(sha).setArrivedAt(Timestamp.newBuilder().setSeconds(now.getEpochSecond())).build();
      try (KafkaProducer<byte[], byte[]> producer = settings.bytesProducer();
           TopicReader dlq = new TopicReader(settings, EventTopics.IMAGES_ARRIVED_DLQ)) {
        producer.send(new ProducerRecord<>(EventTopics.IMAGES_ARRIVED, junk)).get();
        producer.send(new ProducerRecord<>(EventTopics.IMAGES_ARRIVED, event.toByteArray())).get();
        DeadLetter letter = DeadLetter.parseFrom(dlq.await(1).get(0));
        assertEquals(DeadLetter.Reason.NOT_PROTOBUF, letter.getReason());
        assertArrayEquals(junk, letter.getValue().toByteArray());
      }
      String id = InferenceWorkflow.workflowId("Dataset008_Sample", sha);
      assertTrue(run.awaitOutput("started " + id).contains("dead_lettered NOT_PROTOBUF"), run.output());
      WorkflowServiceStubs service = WorkflowServiceStubs.newServiceStubs(
          WorkflowServiceStubsOptions.newBuilder().setTarget(target).build());
      try {
        WorkflowExecutionStatus status = service.blockingStub().describeWorkflowExecution(
            DescribeWorkflowExecutionRequest.newBuilder().setNamespace("default")
                .setExecution(WorkflowExecution.newBuilder().setWorkflowId(id)).build())
            .getWorkflowExecutionInfo().getStatus();
        assertEquals(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING, status, "started, waiting for workers");
      } finally {
        service.shutdownNow();
      }
      run.<BridgeCommand>command("bridge").stop();
      assertEquals(0, run.exitCode(), run.output() + run.errors());
      assertTrue(!run.errors().contains("Exception"), run.errors());
    }
  }
}
