package org.segflow.bridge;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.segflow.contract.EventTopics;
import org.segflow.events.DeadLetter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka -> Temporal: each {@code segflow.images.arrived} record becomes an InferenceWorkflow start
 * (or a no-op when that image's workflow exists) or a DeadLetter on {@code segflow.images.arrived.dlq}.
 * Offsets are committed only after every record before them is durable, so a bridge killed at any
 * point re-reads what it had not committed, and the workflow id turns the replays into duplicates.
 * When Temporal or the DLQ cannot be reached, the partition is rewound to the first unhandled record
 * and tried again after a pause: nothing is skipped.
 */
public final class KafkaBridge implements Runnable, AutoCloseable {

  public static final String GROUP_ID = "segflow-bridge";
  private static final Logger LOG = LoggerFactory.getLogger(KafkaBridge.class);
  private static final Duration POLL = Duration.ofMillis(200);
  private static final Duration RETRY_PAUSE = Duration.ofSeconds(2);

  private final Consumer<byte[], byte[]> consumer;
  private final Producer<byte[], byte[]> dlq;
  private final ArrivalValidator validator;
  private final InferenceStarter starter;
  private final BridgeListener listener;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final List<KafkaClientMetrics> clientMetrics = new ArrayList<>();

  /** The bridge owns the consumer and the producer and closes them when it stops. */
  public KafkaBridge(Consumer<byte[], byte[]> consumer, Producer<byte[], byte[]> dlq, ArrivalValidator validator,
      InferenceStarter starter, BridgeListener listener) {
    this.consumer = consumer;
    this.dlq = dlq;
    this.validator = validator;
    this.starter = starter;
    this.listener = listener;
  }

  public static KafkaBridge create(KafkaSettings kafka, ArrivalValidator validator, InferenceStarter starter,
      BridgeListener listener) {
    return new KafkaBridge(kafka.consumer(GROUP_ID), kafka.bytesProducer(), validator, starter, listener);
  }

  /**
   * Publishes the consumer's metrics (fetch rates, records-lag-max for the Inference dashboard's consumer lag)
   * and the DLQ producer's on {@code registry}; they are removed when the bridge stops. Call before {@link #run}.
   */
  public KafkaBridge bindMetrics(MeterRegistry registry) {
    KafkaClientMetrics c = new KafkaClientMetrics(consumer);
    KafkaClientMetrics p = new KafkaClientMetrics(dlq);
    c.bindTo(registry);
    p.bindTo(registry);
    clientMetrics.add(c);
    clientMetrics.add(p);
    return this;
  }

  /** Consumes until {@link #close} (or an unexpected error, which is rethrown without committing). */
  @Override
  public void run() {
    try {
      consumer.subscribe(List.of(EventTopics.IMAGES_ARRIVED));
      while (running.get()) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
        Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
        boolean failed = false;
        for (TopicPartition tp : records.partitions()) {
          for (ConsumerRecord<byte[], byte[]> r : records.records(tp)) {
            try {
              handle(r);
            } catch (RuntimeException e) {
              LOG.warn("cannot handle {}-{}@{} now, retrying in {}: {}", r.topic(), r.partition(), r.offset(),
                  RETRY_PAUSE, e.toString());
              consumer.seek(tp, r.offset());
              failed = true;
              break;
            }
            done.put(tp, new OffsetAndMetadata(r.offset() + 1));
          }
        }
        if (!done.isEmpty()) {
          consumer.commitSync(done);
        }
        if (failed) {
          pause();
        }
      }
    } catch (WakeupException e) {
      if (running.get()) {
        throw e;
      }
    } finally {
      clientMetrics.forEach(KafkaClientMetrics::close);
      consumer.close(Duration.ofSeconds(5)); // leaves the group; commits nothing (auto commit is off)
      dlq.close(Duration.ofSeconds(5));
    }
  }

  private void handle(ConsumerRecord<byte[], byte[]> r) {
    Verdict v = validator.check(r.value());
    if (v.accepted()) {
      InferenceStarter.Outcome o = starter.start(v.request());
      listener.handled(r.topic(), o == InferenceStarter.Outcome.STARTED ? BridgeListener.Outcome.STARTED
          : BridgeListener.Outcome.DUPLICATE, v.request().workflowId());
      return;
    }
    Instant now = Instant.now();
    DeadLetter letter = DeadLetter.newBuilder()
        .setValue(r.value() == null ? ByteString.EMPTY : ByteString.copyFrom(r.value()))
        .setKey(r.key() == null ? ByteString.EMPTY : ByteString.copyFrom(r.key()))
        .setTopic(r.topic())
        .setPartition(r.partition())
        .setOffset(r.offset())
        .setReason(v.reason())
        .setDetail(v.detail())
        .setDeadLetteredAt(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
        .build();
    try {
      dlq.send(new ProducerRecord<>(EventTopics.IMAGES_ARRIVED_DLQ, r.key(), letter.toByteArray())).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while dead-lettering", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("the DLQ did not accept the record: " + e.getCause(), e.getCause());
    }
    LOG.info("dead-lettered {}-{}@{}: {} {}", r.topic(), r.partition(), r.offset(), v.reason(), v.detail());
    listener.handled(r.topic(), BridgeListener.Outcome.DEAD_LETTERED, v.reason().name());
  }

  private void pause() {
    try {
      Thread.sleep(RETRY_PAUSE.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running.set(false);
    }
  }

  /** Stops after the record in hand; whatever was not committed is read again by the next bridge. */
  @Override
  public void close() {
    running.set(false);
    consumer.wakeup();
  }
}
