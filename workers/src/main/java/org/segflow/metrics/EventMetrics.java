package org.segflow.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Locale;

/**
 * What the Kafka -> Temporal bridge did with each event: segflow_events_total{topic, outcome=started|
 * duplicate|dead_lettered}. Every topic's three counters exist from the start (at 0), so a DLQ alert on
 * increase() fires on the first dead letter.
 */
public final class EventMetrics {

  /** started: a workflow start was accepted; duplicate: it existed already; dead_lettered: sent to the DLQ. */
  public enum Outcome {
    STARTED, DUPLICATE, DEAD_LETTERED;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final MeterRegistry registry;

  public EventMetrics(MeterRegistry registry, List<String> topics) {
    this.registry = registry;
    for (String topic : topics) {
      for (Outcome o : Outcome.values()) {
        counter(topic, o);
      }
    }
  }

  public void started(String topic) {
    record(topic, Outcome.STARTED);
  }

  public void duplicate(String topic) {
    record(topic, Outcome.DUPLICATE);
  }

  public void deadLettered(String topic) {
    record(topic, Outcome.DEAD_LETTERED);
  }

  public void record(String topic, Outcome outcome) {
    counter(topic, outcome).increment();
  }

  private Counter counter(String topic, Outcome outcome) {
    return Counter.builder("segflow.events")
        .tags("topic", topic, "outcome", outcome.label())
        .description("Kafka events handled by the bridge, by outcome")
        .register(registry);
  }
}
