package org.segflow.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.segflow.contract.EventTopics;
import org.segflow.events.DeadLetter;
import org.segflow.events.ImageArrived;
import org.segflow.events.SegmentationCompleted;

/**
 * Watching the answers to images one sends (demo, bench): results and dead letters read from the
 * topics' current end, so what earlier runs left there does not count; records that are not ours to
 * judge (someone else's, unreadable) are skipped.
 */
final class ResultTopics {

  private ResultTopics() {}

  /** Assigns every partition of the results and the DLQ to {@code consumer}, positioned at their ends now. */
  static void fromNowOn(KafkaConsumer<byte[], byte[]> consumer) {
    List<TopicPartition> parts = new ArrayList<>();
    for (String topic : List.of(EventTopics.SEGMENTATIONS_COMPLETED, EventTopics.IMAGES_ARRIVED_DLQ)) {
      for (PartitionInfo p : consumer.partitionsFor(topic)) {
        parts.add(new TopicPartition(topic, p.partition()));
      }
    }
    consumer.assign(parts);
    consumer.seekToEnd(parts);
    parts.forEach(consumer::position); // resolves the end offsets now, before anything is sent
  }

  /** The result in a record of the results topic, or null when it is not one. */
  static SegmentationCompleted completed(byte[] value) {
    try {
      return SegmentationCompleted.parseFrom(value);
    } catch (InvalidProtocolBufferException e) {
      return null;
    }
  }

  /** A dead letter and the ImageArrived it holds, or null when the record is not one. */
  record Letter(DeadLetter letter, ImageArrived arrived) {}

  static Letter deadLetter(byte[] value) {
    try {
      DeadLetter d = DeadLetter.parseFrom(value);
      return new Letter(d, ImageArrived.parseFrom(d.getValue()));
    } catch (InvalidProtocolBufferException e) {
      return null;
    }
  }
}
