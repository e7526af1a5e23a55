package org.segflow.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.segflow.bridge.KafkaSettings;

/** Reads one topic from its beginning, for tests: waits until it holds a given number of records. */
final class TopicReader implements AutoCloseable {

  private static final Duration WAIT = Duration.ofSeconds(60);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final List<byte[]> values = new ArrayList<>();

  TopicReader(KafkaSettings kafka, String topic) {
    consumer = kafka.consumer("test-" + UUID.randomUUID());
    consumer.subscribe(List.of(topic));
  }

  /** The first {@code n} values of the topic, waiting for them. */
  List<byte[]> await(int n) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (values.size() < n) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("only " + values.size() + " of " + n + " records arrived within " + WAIT);
      }
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
        values.add(r.value());
      }
    }
    return List.copyOf(values);
  }

  @Override
  public void close() {
    consumer.close();
  }
}
