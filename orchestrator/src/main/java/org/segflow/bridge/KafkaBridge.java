package org.segflow.bridge;

import com.google.protobuf.ByteString;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.segflow.contract.EventTopics;
import org.segflow.contract.Timestamps;
import org.segflow.events.DeadLetter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka -> Temporal: each {@code segflow.images.arrived} record becomes an InferenceWorkflow start
 * (or a no-op when that image's workflow exists) or a DeadLetter on {@code segflow.images.arrived.dlq}.
 * The records of one poll are handled together: every workflow start (on the starter's threads) and
 * dead letter is put in flight, then each is awaited in offset order, so a burst costs about one
 * Temporal round trip per {@value InferenceStarter#DEFAULT_CONCURRENCY} events instead of one per event.
 * Offsets are committed only after every record before them is durable, so a bridge killed at any
 * point re-reads what it had not committed, and the workflow id turns the replays into duplicates.
 * When Temporal or the DLQ cannot be reached, the partition is rewound to the first unhandled record
 * and tried again after a pause: nothing is skipped (a record after it that had been dead-lettered
 * may be dead-lettered again: the DLQ is at least once).
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
  private final CountDownLatch assigned = new CountDownLatch(1);
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
    LOG.info("bridge consuming {} as group {}", EventTopics.IMAGES_ARRIVED, GROUP_ID);
    try {
      consumer.subscribe(List.of(EventTopics.IMAGES_ARRIVED), new ConsumerRebalanceListener() {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
          if (!partitions.isEmpty()) {
            assigned.countDown();
          }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
          // offsets are committed after every poll; nothing is pending here
        }
      });
      while (running.get()) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
        // every record of the poll is put in flight at once, then settled in offset order
        Map<TopicPartition, List<InFlight>> inFlight = new LinkedHashMap<>();
        for (TopicPartition tp : records.partitions()) {
          List<InFlight> handling = new ArrayList<>();
          for (ConsumerRecord<byte[], byte[]> r : records.records(tp)) {
            handling.add(begin(r));
          }
          inFlight.put(tp, handling);
        }
        Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
        boolean failed = false;
        for (Map.Entry<TopicPartition, List<InFlight>> e : inFlight.entrySet()) {
          List<InFlight> handling = e.getValue();
          for (int i = 0; i < handling.size(); i++) {
            ConsumerRecord<byte[], byte[]> r = handling.get(i).record();
            try {
              settle(handling.get(i));
            } catch (RuntimeException ex) {
              LOG.warn("cannot handle {}-{}@{} now, retrying in {}: {}", r.topic(), r.partition(), r.offset(),
                  RETRY_PAUSE, ex.toString());
              // the records after it are read again (their starts that happened become duplicates); the
              // starts not yet begun are dropped, so an outage does not pile up calls
              handling.subList(i + 1, handling.size()).forEach(h -> h.work().cancel(false));
              consumer.seek(e.getKey(), r.offset());
              failed = true;
              break;
            }
            done.put(e.getKey(), new OffsetAndMetadata(r.offset() + 1));
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
      LOG.info("bridge stopping; records not committed are read again by the next bridge");
      clientMetrics.forEach(KafkaClientMetrics::close);
      consumer.close(Duration.ofSeconds(5)); // leaves the group; commits nothing (auto commit is off)
      dlq.close(Duration.ofSeconds(5));
    }
  }

  /** A record judged and its workflow start or dead letter under way. */
  private record InFlight(ConsumerRecord<byte[], byte[]> record, Verdict verdict, CompletableFuture<?> work) {}

  private InFlight begin(ConsumerRecord<byte[], byte[]> r) {
    Verdict v;
    try {
      v = validator.check(r.value());
    } catch (RuntimeException e) {
      return new InFlight(r, null, CompletableFuture.failedFuture(e));
    }
    if (v.accepted()) {
      return new InFlight(r, v, starter.startAsync(v.request()));
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
        .setDeadLetteredAt(Timestamps.of(now))
        .build();
    CompletableFuture<RecordMetadata> sent = new CompletableFuture<>();
    try {
      dlq.send(new ProducerRecord<>(EventTopics.IMAGES_ARRIVED_DLQ, r.key(), letter.toByteArray()), (m, ex) -> {
        if (ex != null) {
          sent.completeExceptionally(ex);
        } else {
          sent.complete(m);
        }
      });
    } catch (RuntimeException ex) {
      sent.completeExceptionally(ex);
    }
    return new InFlight(r, v, sent);
  }

  /** Waits for the record's start or dead letter and reports it; throws when it did not happen. */
  private void settle(InFlight h) {
    Object result;
    try {
      result = h.work().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while handling the record", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (h.verdict() == null || h.verdict().accepted()) {
        throw cause instanceof RuntimeException re ? re : new IllegalStateException(cause);
      }
      throw new IllegalStateException("the DLQ did not accept the record: " + cause, cause);
    }
    ConsumerRecord<byte[], byte[]> r = h.record();
    Verdict v = h.verdict();
    if (v.accepted()) {
      LOG.info("{} {} from {}-{}@{}", result == InferenceStarter.Outcome.STARTED ? "started" : "duplicate",
          v.request().workflowId(), r.topic(), r.partition(), r.offset());
      listener.handled(r.topic(), result == InferenceStarter.Outcome.STARTED ? BridgeListener.Outcome.STARTED
          : BridgeListener.Outcome.DUPLICATE, v.request().workflowId());
      return;
    }
    LOG.info("dead-lettered {}-{}@{}: {} {}", r.topic(), r.partition(), r.offset(), v.reason(), v.detail());
    listener.handled(r.topic(), BridgeListener.Outcome.DEAD_LETTERED, v.reason().name());
  }

  /**
   * Waits until the bridge's consumer has joined its group and holds partitions: events sent before
   * wait for the join too (seconds for a new group), which a latency measurement should not count.
   */
  public boolean awaitAssignment(Duration timeout) throws InterruptedException {
    return assigned.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
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
