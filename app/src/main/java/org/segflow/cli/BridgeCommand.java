package org.segflow.cli;

import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.segflow.bridge.ArrivalValidator;
import org.segflow.bridge.BridgeListener;
import org.segflow.bridge.InferenceStarter;
import org.segflow.bridge.KafkaBridge;
import org.segflow.bridge.KafkaSettings;
import org.segflow.contract.EventTopics;
import org.segflow.metrics.EventMetrics;
import org.segflow.cli.metrics.MetricsPorts;
import org.segflow.cli.metrics.MetricsServer;
import org.segflow.cli.metrics.SegflowMetrics;
import org.segflow.registry.ModelRegistry;
import org.segflow.storage.SegflowPaths;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "bridge", mixinStandardHelpOptions = true,
    description = "Start an InferenceWorkflow for every ImageArrived on " + EventTopics.IMAGES_ARRIVED
        + " (one per image: repeated events are no-ops); bad records go to " + EventTopics.IMAGES_ARRIVED_DLQ
        + " with the reason.")
final class BridgeCommand implements Callable<Integer> {

  @Option(names = "--inbox-root", paramLabel = "DIR",
      description = "Folders images may come from (repeatable). Default: SEGFLOW_HOME/inbox.")
  List<Path> inboxRoots;

  @Mixin
  StorageOptions storage;

  @Mixin
  TemporalOptions temporal;

  @Mixin
  KafkaOptions kafka;

  @Option(names = "--metrics-port", paramLabel = "PORT", defaultValue = "" + MetricsPorts.BRIDGE,
      description = "Prometheus /metrics port (-1: off). Default: ${DEFAULT-VALUE}.")
  int metricsPort;

  @Option(names = "--metrics-address", defaultValue = MetricsServer.DEFAULT_ADDRESS,
      description = "Address for /metrics: every interface, so Prometheus in another container or pod can scrape it "
          + "(127.0.0.1: this machine only). Default: ${DEFAULT-VALUE}.")
  String metricsAddress;

  private final Lifetime lifetime = new Lifetime();

  @Override
  public Integer call() throws Exception {
    try (Lifetime l = lifetime.open("segflow-bridge-shutdown");
         SegflowMetrics metrics = SegflowMetrics.create();
         MetricsServer server = metricsPort < 0 ? null
             : MetricsServer.start(metrics.registry(), metricsAddress, metricsPort)) {
      // the bridge's own Temporal client calls (workflow starts) are measured too
      WorkflowServiceStubs service = temporal.service(metrics.registry());
      try {
        KafkaBridge bridge = create(storage.paths(), inboxRoots, kafka.settings(),
            new InferenceStarter(temporal.client(service)), metrics.registry());
        // the bridge stops after the record in hand and closes its consumer; uncommitted records are read again
        lifetime.onStop(bridge::close);
        System.out.printf("segflow bridge: %s on %s -> Temporal %s namespace %s%s%n", EventTopics.IMAGES_ARRIVED,
            kafka.bootstrapServers, temporal.target, temporal.namespace,
            server == null ? "" : ", metrics " + server.url());
        bridge.run();
      } finally {
        service.shutdown();
      }
    }
    return 0;
  }

  /** Stops the bridge as Ctrl-C does. */
  void stop() {
    lifetime.stop();
  }

  /**
   * The bridge of `segflow bridge`. With a {@code registry} (may be null) it counts every event as started,
   * duplicate or dead-lettered (segflow_events_total) and publishes its Kafka clients' metrics (consumer lag).
   */
  static KafkaBridge create(SegflowPaths paths, List<Path> inboxRoots, KafkaSettings settings,
      InferenceStarter starter, MeterRegistry registry) {
    return create(paths, inboxRoots, settings, starter, registry, true);
  }

  /** As above; with {@code print} false the bridge does not print a line per event (a benchmark's hundreds). */
  static KafkaBridge create(SegflowPaths paths, List<Path> inboxRoots, KafkaSettings settings,
      InferenceStarter starter, MeterRegistry registry, boolean print) {
    EventMetrics events = registry == null ? null : new EventMetrics(registry, List.of(EventTopics.IMAGES_ARRIVED));
    List<Path> roots = inboxRoots == null || inboxRoots.isEmpty() ? List.of(paths.inbox()) : inboxRoots;
    ModelRegistry models = new ModelRegistry(paths);
    ArrivalValidator validator = new ArrivalValidator(roots, models::servedDataset);
    BridgeListener listener = (topic, outcome, detail) -> {
      if (print) {
        System.out.println(outcome.name().toLowerCase(java.util.Locale.ROOT) + " " + detail);
      }
      if (events != null) {
        events.record(topic, EventMetrics.Outcome.valueOf(outcome.name()));
      }
    };
    KafkaBridge bridge = KafkaBridge.create(settings, validator, starter, listener);
    return registry == null ? bridge : bridge.bindMetrics(registry);
  }
}
