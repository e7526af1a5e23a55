package org.segflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segflow.bridge.EmbeddedKafka;
import org.segflow.bridge.KafkaSettings;
import org.segflow.contract.EventTopics;

/** `segflow kafka` serves a broker with segflow's topics, its data under SEGFLOW_HOME/kafka, until stopped. */
class KafkaCommandTest {

  @Test
  void servesTheTopicsUntilStopped(@TempDir Path home) throws Exception {
    CommandRun run = CommandRun.start("kafka", "--port", "0", "--partitions", "2", "--home", home.toString());
    try {
      servesTopics(run, home);
    } finally {
      run.<KafkaCommand>command("kafka").stop();
      assertEquals(0, run.exitCode(), run.output() + run.errors());
    }
    assertTrue(!run.errors().contains("Exception"), run.errors());
    int port = Integer.parseInt(run.output().replaceAll("(?s).*segflow kafka on 127\\.0\\.0\\.1:(\\d+),.*", "$1"));
    assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close(), "the broker is down");
  }

  private static void servesTopics(CommandRun run, Path home) throws Exception {
    Matcher m = Pattern.compile("segflow kafka on 127\\.0\\.0\\.1:(\\d+), data in (\\S+), topics")
        .matcher(run.awaitOutput("segflow kafka on"));
    assertTrue(m.find(), run.output());
    int port = Integer.parseInt(m.group(1));
    assertEquals(home.resolve("kafka").toString(), m.group(2));
    try (Admin admin = Admin.create(KafkaSettings.of("127.0.0.1:" + port).common())) {
      Map<String, TopicDescription> topics = describe(admin);
      assertEquals(2, topics.get(EventTopics.IMAGES_ARRIVED).partitions().size());
      assertEquals(1, topics.get(EventTopics.IMAGES_ARRIVED_DLQ).partitions().size());
      assertEquals(1, topics.get(EventTopics.SEGMENTATIONS_COMPLETED).partitions().size());
    }
    assertTrue(Files.isRegularFile(home.resolve("kafka/kraft-logs/meta.properties")), "formatted under the home");
  }

  /** The topics as the broker knows them; its metadata may trail the controller's creation briefly. */
  private static Map<String, TopicDescription> describe(Admin admin) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      try {
        return admin.describeTopics(EventTopics.ALL).allTopicNames().get();
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(100); // retry interval; the deadline bounds the wait
      }
    }
  }

  @Test
  void createsTheTopicsOnAnExistingCluster(@TempDir Path home) throws Exception {
    try (EmbeddedKafka broker = EmbeddedKafka.start(home.resolve("kafka"), 0)) {
      CommandRun run = CommandRun.start("kafka", "create-topics", "--bootstrap-servers", broker.bootstrapServers(),
          "--partitions", "4", "--replication-factor", "1");
      assertEquals(0, run.exitCode(), run.output() + run.errors());
      try (Admin admin = Admin.create(KafkaSettings.of(broker.bootstrapServers()).common())) {
        Map<String, TopicDescription> topics = describe(admin);
        assertEquals(4, topics.get(EventTopics.IMAGES_ARRIVED).partitions().size());
        assertEquals(1, topics.get(EventTopics.IMAGES_ARRIVED_DLQ).partitions().size());
        assertEquals(1, topics.get(EventTopics.SEGMENTATIONS_COMPLETED).partitions().size());
      }
      // a second run leaves the existing topics alone
      CommandRun again = CommandRun.start("kafka", "create-topics", "--bootstrap-servers", broker.bootstrapServers(),
          "--partitions", "2", "--replication-factor", "1");
      assertEquals(0, again.exitCode(), again.output() + again.errors());
    }
  }
}
