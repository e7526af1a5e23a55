package org.segflow.cli;

import java.util.Optional;
import org.segflow.cli.metrics.MetricsServer;
import org.segflow.cli.metrics.SegflowMetrics;
import picocli.CommandLine.Option;

/** Opt-in /metrics for one-shot commands (train, predict); long-running processes always serve it. */
final class MetricsOptions {

  @Option(names = "--metrics-port", paramLabel = "PORT",
      description = "Serve Prometheus metrics on this port while the command runs (0: any free port).")
  Integer port;

  @Option(names = "--metrics-address", defaultValue = MetricsServer.DEFAULT_ADDRESS,
      description = "Address for --metrics-port. Default: ${DEFAULT-VALUE}.")
  String address;

  /** The running endpoint, or empty when --metrics-port was not given; close it when done. */
  Optional<Endpoint> start() {
    if (port == null) {
      return Optional.empty();
    }
    SegflowMetrics metrics = SegflowMetrics.create();
    MetricsServer server = MetricsServer.start(metrics.registry(), address, port);
    System.out.println("Prometheus metrics on " + server.url());
    return Optional.of(new Endpoint(metrics, server));
  }

  record Endpoint(SegflowMetrics metrics, MetricsServer server) implements AutoCloseable {
    @Override
    public void close() {
      server.close();
      metrics.close();
    }
  }
}
