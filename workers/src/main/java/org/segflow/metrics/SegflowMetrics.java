package org.segflow.metrics;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * One process's metrics: a Prometheus registry with the JVM and process binders already bound. Training,
 * inference and event metrics, the Temporal SDK reporter and Kafka client metrics all register on
 * {@link #registry()}, so one /metrics endpoint ({@link MetricsServer}) serves everything.
 */
public final class SegflowMetrics implements AutoCloseable {

  /** Default /metrics port of the first process; the others use 9465, 9466, ... (see deploy/prometheus.yml). */
  public static final int DEFAULT_PORT = 9464;

  private final PrometheusMeterRegistry registry;
  private final JvmGcMetrics gc;

  private SegflowMetrics() {
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    gc = new JvmGcMetrics();
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
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
    gc.close();
    registry.close();
  }
}
