package org.segflow.cli.metrics;

/**
 * The /metrics ports of segflow's processes, 9464 + n, as deploy/prometheus.yml, docker-compose.yml, the
 * Kubernetes manifests and the images' EXPOSE name them. The commands' --metrics-port defaults come from here.
 */
public final class MetricsPorts {

  private MetricsPorts() {}

  /** The first process: the orchestrator pool, or every pool in one process (worker --pool all, dev). */
  public static final int ORCHESTRATOR = 9464;
  public static final int BRIDGE = ORCHESTRATOR + 1;
  public static final int CPU = ORCHESTRATOR + 2;
  public static final int GPU = ORCHESTRATOR + 3;
  public static final int WATCH = ORCHESTRATOR + 4;

  /** Turns /metrics off where a port is given. */
  public static final int OFF = -1;
}
