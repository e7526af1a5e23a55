package org.segflow.cli;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.segflow.cli.metrics.MetricsPorts;
import org.segflow.cli.metrics.MetricsServer;
import org.segflow.storage.SegflowPaths;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "dev", mixinStandardHelpOptions = true,
    description = "The embedded stack in one process: the Temporal test server on 127.0.0.1, a single-node KRaft "
        + "Kafka broker (data under SEGFLOW_HOME/kafka), workers for every pool (orchestrator, cpu, gpu) and the "
        + "Kafka bridge. Then run `segflow pipeline run` or `segflow watch` from another shell.")
final class DevCommand implements Callable<Integer> {

  @Option(names = "--port", defaultValue = "7233", description = "Temporal frontend port. Default: ${DEFAULT-VALUE}.")
  int port;

  @Option(names = "--kafka-port", defaultValue = "9092", description = "Embedded Kafka port. Default: ${DEFAULT-VALUE}.")
  int kafkaPort;

  @Option(names = "--metrics-port", defaultValue = "" + MetricsPorts.ORCHESTRATOR,
      description = "Prometheus /metrics of the whole stack (-1: off). Default: ${DEFAULT-VALUE}.")
  int metricsPort;

  @Option(names = "--metrics-address", defaultValue = MetricsServer.LOOPBACK_ADDRESS,
      description = "Address for /metrics: this machine only by default; 0.0.0.0 lets other machines scrape it. "
          + "Default: ${DEFAULT-VALUE}.")
  String metricsAddress;

  @Option(names = "--no-kafka", description = "Without the Kafka broker and bridge (Temporal and workers only).")
  boolean noKafka;

  @Mixin
  StorageOptions storage;

  @Mixin
  EngineOptions engine;

  private final Lifetime lifetime = new Lifetime();

  /** How dev makes its Kafka bridge; a test substitutes one that dies. */
  EmbeddedStack.BridgeFactory bridge = EmbeddedStack.BRIDGE;

  @Override
  public Integer call() throws IOException, InterruptedException {
    SegflowPaths paths = storage.paths();
    engine.applyPrecision();
    EmbeddedStack.Builder parts = EmbeddedStack.builder(paths).metrics(metricsAddress, metricsPort)
        .temporal("127.0.0.1", port).workers(WorkerCommand.Pool.ALL).engine(engine.device, engine.threads)
        .gracefulWorkerStop();
    if (!noKafka) {
      parts.embeddedKafka(paths.home().resolve("kafka"), kafkaPort, 3).bridge(bridge);
    }
    try (Lifetime l = lifetime.open("segflow-dev-shutdown"); EmbeddedStack stack = parts.start()) {
      lifetime.onStop(stack::stop);
      System.out.printf("segflow dev: Temporal on %s, workers on %s%s%s, home %s%n", stack.temporalTarget(),
          stack.queues(), noKafka ? "" : ", Kafka on " + stack.kafka().bootstrapServers() + " with the bridge",
          stack.metricsServer().map(m -> ", metrics " + m.url()).orElse(""), paths.home());
      Optional<EmbeddedStack.Failure> failure = stack.await();
      if (failure.isPresent()) {
        System.err.println("error: segflow dev stops: " + failure.get().message());
        return 1;
      }
    }
    return 0;
  }

  /** Stops the stack as Ctrl-C does. */
  void stop() {
    lifetime.stop();
  }
}
