package org.segflow.deploy;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.segflow.bridge.InboxWatcher;
import org.segflow.bridge.KafkaSettings;
import org.segflow.contract.EventTopics;
import org.segflow.contract.Sha256;
import org.segflow.events.DeadLetter;
import org.segflow.events.ImageArrived;
import org.segflow.events.SegmentationCompleted;

/**
 * Images dropped into a deployed stack's inbox as a user or a scanner would (reference label first, then
 * the image written under a hidden name and renamed), and the answers read back from Kafka: every
 * SegmentationCompleted and dead letter published since this reader was opened.
 */
final class Arrivals implements AutoCloseable {

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final KafkaSettings kafka;
  /** sha256 -> image name of every dropped image. */
  final Map<String, String> dropped = new LinkedHashMap<>();
  final List<SegmentationCompleted> completed = new ArrayList<>();
  final List<DeadLetter> deadLetters = new ArrayList<>();

  Arrivals(String bootstrapServers) {
    kafka = KafkaSettings.of(bootstrapServers);
    consumer = kafka.consumer("deploy-test-" + UUID.randomUUID());
    List<TopicPartition> parts = partitions(consumer);
    consumer.assign(parts);
    consumer.seekToEnd(parts);
    parts.forEach(consumer::position); // the ends now, before anything is dropped
  }

  /** Drops {@code image} (and its reference {@code label}, may be null) as inbox/DATASET/NAME. */
  void drop(Path inbox, String dataset, String name, Path image, Path label) throws IOException {
    Path dir = Files.createDirectories(inbox.resolve(dataset));
    if (label != null) {
      Files.copy(label, Files.createDirectories(dir.resolve(InboxWatcher.LABELS)).resolve(name),
          StandardCopyOption.REPLACE_EXISTING);
    }
    Path tmp = dir.resolve("." + name + ".tmp");
    Files.copy(image, tmp, StandardCopyOption.REPLACE_EXISTING);
    Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    dropped.put(Sha256.of(dir.resolve(name)), name);
  }

  /** Reads answers until every dropped image has a result (bounded); fails on a dead letter for one of them. */
  Map<String, SegmentationCompleted> awaitAll(Duration timeout, java.util.function.Supplier<String> diagnostics) {
    Map<String, SegmentationCompleted> bySha = new HashMap<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!bySha.keySet().containsAll(dropped.keySet())) {
      if (System.nanoTime() > deadline) {
        List<String> missing = dropped.entrySet().stream().filter(e -> !bySha.containsKey(e.getKey()))
            .map(Map.Entry::getValue).toList();
        throw new AssertionError(missing.size() + " of " + dropped.size() + " images got no "
            + EventTopics.SEGMENTATIONS_COMPLETED + " within " + timeout + ": " + missing + diagnostics.get());
      }
      poll();
      for (DeadLetter d : deadLetters) {
        throw new AssertionError("dead letter " + d.getReason() + ": " + d.getDetail() + diagnostics.get());
      }
      completed.forEach(c -> bySha.putIfAbsent(c.getSha256(), c));
    }
    return bySha;
  }

  private void poll() {
    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
      try {
        if (r.topic().equals(EventTopics.IMAGES_ARRIVED_DLQ)) {
          DeadLetter d = DeadLetter.parseFrom(r.value());
          if (dropped.containsKey(ImageArrived.parseFrom(d.getValue()).getSha256())) {
            deadLetters.add(d);
          }
        } else {
          SegmentationCompleted c = SegmentationCompleted.parseFrom(r.value());
          if (dropped.containsKey(c.getSha256())) {
            completed.add(c);
          }
        }
      } catch (InvalidProtocolBufferException e) {
        throw new AssertionError("not a segflow event on " + r.topic() + " at offset " + r.offset(), e);
      }
    }
  }

  /** Every answer to the dropped images in the topics, from their beginnings. */
  record Answers(List<SegmentationCompleted> completed, List<DeadLetter> deadLetters) {}

  /**
   * Every answer to a dropped image published up to now, read to the topics' current ends: once all their
   * workflows are closed nothing more can come, so this is the final count.
   */
  Answers everyAnswerSoFar() {
    try (KafkaConsumer<byte[], byte[]> c = kafka.consumer("deploy-test-" + UUID.randomUUID())) {
      List<TopicPartition> parts = partitions(c);
      c.assign(parts);
      c.seekToBeginning(parts);
      Map<TopicPartition, Long> ends = c.endOffsets(parts);
      List<SegmentationCompleted> results = new ArrayList<>();
      List<DeadLetter> letters = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (parts.stream().anyMatch(p -> c.position(p) < ends.get(p))) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("could not read the result topics to their ends");
        }
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
          try {
            if (r.topic().equals(EventTopics.SEGMENTATIONS_COMPLETED)) {
              SegmentationCompleted s = SegmentationCompleted.parseFrom(r.value());
              if (dropped.containsKey(s.getSha256())) {
                results.add(s);
              }
            } else {
              DeadLetter d = DeadLetter.parseFrom(r.value());
              if (dropped.containsKey(ImageArrived.parseFrom(d.getValue()).getSha256())) {
                letters.add(d);
              }
            }
          } catch (InvalidProtocolBufferException e) {
            throw new AssertionError("not a segflow event on " + r.topic() + " at offset " + r.offset(), e);
          }
        }
      }
      return new Answers(results, letters);
    }
  }

  private static List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> c) {
    List<TopicPartition> parts = new ArrayList<>();
    for (String topic : List.of(EventTopics.SEGMENTATIONS_COMPLETED, EventTopics.IMAGES_ARRIVED_DLQ)) {
      for (PartitionInfo p : c.partitionsFor(topic)) {
        parts.add(new TopicPartition(topic, p.partition()));
      }
    }
    return parts;
  }

  @Override
  public void close() {
    consumer.close();
  }
}
