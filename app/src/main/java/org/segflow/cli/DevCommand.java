package org.segflow.cli;

import io.temporal.client.WorkflowClient;
import org.segflow.bridge.EmbeddedKafka;
import org.segflow.bridge.InferenceStarter;
import org.segflow.bridge.KafkaBridge;
import org.segflow.bridge.KafkaSettings;
import org.segflow.cli.metrics.MetricsServer;
import org.segflow.cli.metrics.SegflowMetrics;
import org.segflow.storage.SegflowPaths;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.worker.WorkerFactory;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
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

  @Option(names = "--metrics-port", defaultValue = "9464",
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

  @Override
  public Integer call() throws IOException, InterruptedException {
    SegflowPaths paths = storage.paths();
    try (Lifetime l = lifetime.open("segflow-dev-shutdown");
         EmbeddedKafka kafka = noKafka ? null : KafkaCommand.start(paths.home().resolve("kafka"), kafkaPort, 3);
         SegflowMetrics metrics = SegflowMetrics.create();
         MetricsServer metricsServer = metricsPort < 0 ? null
             : MetricsServer.start(metrics.registry(), metricsAddress, metricsPort);
         ServerCommand.EmbeddedServer server = ServerCommand.EmbeddedServer.start("127.0.0.1", port)) {
      KafkaSettings kafkaSettings = kafka == null ? null : KafkaSettings.of(kafka.bootstrapServers());
      TemporalOptions temporal = TemporalOptions.loopback(server.port());
      WorkflowServiceStubs service = temporal.service(metrics.registry());
      WorkflowClient client = temporal.client(service);
      WorkerFactory factory = WorkerFactory.newInstance(client);
      try {
        engine.applyPrecision();
        List<String> queues = WorkerCommand.register(factory, WorkerCommand.Pool.ALL, paths, 0, engine.device,
            engine.threads, metrics.registry(), kafkaSettings);
        factory.start();
        try (BackgroundLoop bridge = kafka == null ? null
            : bridge(paths, kafkaSettings, client, metrics, lifetime::stop)) {
          System.out.printf("segflow dev: Temporal on %s, workers on %s%s%s, home %s%n", temporal.target, queues,
              kafka == null ? "" : ", Kafka on " + kafka.bootstrapServers() + " with the bridge",
              metricsServer == null ? "" : ", metrics " + metricsServer.url(), paths.home());
          lifetime.await();
          if (bridge != null && bridge.failure() != null) {
            System.err.println("error: segflow dev stops: its Kafka bridge died (" + bridge.failure()
                + "); arriving images would not be segmented");
            return 1;
          }
        }
      } finally {
        factory.shutdown();
        factory.awaitTermination(10, TimeUnit.SECONDS);
        service.shutdown();
      }
    }
    return 0;
  }

  /** Stops the stack as Ctrl-C does. */
  void stop() {
    lifetime.stop();
  }

  private BackgroundLoop bridge(SegflowPaths paths, KafkaSettings kafka, WorkflowClient client,
      SegflowMetrics metrics, Runnable onDeath) {
    return bridgeStarter.start(paths, kafka, client, metrics, onDeath);
  }

  /** How dev starts its bridge loop; a test substitutes one that dies. */
  interface BridgeStarter {
    BackgroundLoop start(SegflowPaths paths, KafkaSettings kafka, WorkflowClient client, SegflowMetrics metrics,
        Runnable onDeath);
  }

  BridgeStarter bridgeStarter = (paths, kafka, client, metrics, onDeath) -> {
    KafkaBridge bridge = BridgeCommand.create(paths, List.of(), kafka, new InferenceStarter(client),
        metrics.registry());
    return BackgroundLoop.start("segflow-bridge", bridge, bridge::close, onDeath);
  };
}
