package org.segflow.cli.metrics;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.segflow.metrics.JvmMeters;

/**
 * One process's metrics: a Prometheus registry with the JVM and process meters already bound. Training,
 * inference and event metrics, the Temporal SDK reporter and Kafka client metrics all register on
 * {@link #registry()}, so one /metrics endpoint ({@link MetricsServer}) serves everything. The engine
 * (segflow-workers) only knows Micrometer's API; this is where the application chooses Prometheus.
 */
public final class SegflowMetrics implements AutoCloseable {

  private final PrometheusMeterRegistry registry;
  private final JvmMeters jvm;

  private SegflowMetrics() {
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    jvm = JvmMeters.bindTo(registry);
  }

  public static SegflowMetrics create() {
    return new SegflowMetrics();
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** The text exposition format Prometheus scrapes. */
  public String scrape() {
    return registry.scrape();
  }

  @Override
  public void close() {
    jvm.close();
    registry.close();
  }
}
