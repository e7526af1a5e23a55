package org.segflow.bridge;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.segflow.contract.EventTopics;

/**
 * How to reach Kafka: bootstrap servers plus any client settings (SASL, TLS ...) from a properties
 * file, applied to every consumer, producer and admin client segflow makes.
 */
public record KafkaSettings(String bootstrapServers, Map<String, String> client) {

  public KafkaSettings {
    client = Map.copyOf(client);
  }

  public static KafkaSettings of(String bootstrapServers) {
    return new KafkaSettings(bootstrapServers, Map.of());
  }

  /** Client settings from a Kafka-style properties file (security.protocol, sasl.jaas.config ...); null: none. */
  public static KafkaSettings of(String bootstrapServers, Path clientProperties) {
    if (clientProperties == null) {
      return of(bootstrapServers);
    }
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(clientProperties)) {
      p.load(r);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read Kafka client properties " + clientProperties, e);
    }
    Map<String, String> m = new HashMap<>();
    p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k)));
    return new KafkaSettings(bootstrapServers, m);
  }

  public Properties common() {
    Properties p = new Properties();
    p.putAll(client);
    p.put("bootstrap.servers", bootstrapServers);
    return p;
  }

  /** Manual commits, from the earliest offset for a new group, committed records only. */
  public KafkaConsumer<byte[], byte[]> consumer(String groupId) {
    Properties p = common();
    p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "100");
    return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /** Idempotent, acks=all: a send that returned is on the broker exactly once. */
  public KafkaProducer<byte[], byte[]> bytesProducer() {
    return new KafkaProducer<>(producerProperties(), new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** Keys as strings (the dataset), values protobuf bytes. */
  public KafkaProducer<String, byte[]> eventProducer() {
    return new KafkaProducer<>(producerProperties(), new StringSerializer(), new ByteArraySerializer());
  }

  private Properties producerProperties() {
    Properties p = common();
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    return p;
  }

  /**
   * Creates segflow's topics when missing: images arrived with {@code arrivedPartitions} partitions
   * (the bridge's parallelism), the DLQ and the results with one each ({@code replication} copies).
   */
  public void createTopics(int arrivedPartitions, short replication) {
    try (Admin admin = Admin.create(common())) {
      for (NewTopic t : new NewTopic[] {
          new NewTopic(EventTopics.IMAGES_ARRIVED, arrivedPartitions, replication),
          new NewTopic(EventTopics.IMAGES_ARRIVED_DLQ, 1, replication),
          new NewTopic(EventTopics.SEGMENTATIONS_COMPLETED, 1, replication)}) {
        try {
          admin.createTopics(java.util.List.of(t)).all().get();
        } catch (java.util.concurrent.ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new IllegalStateException("cannot create topic " + t.name() + ": " + e.getCause(), e.getCause());
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    }
  }
}
