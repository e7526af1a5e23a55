package org.segflow.cli;

import io.temporal.serviceclient.WorkflowServiceStubs;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.segflow.bridge.ArrivalValidator;
import org.segflow.bridge.BridgeListener;
import org.segflow.bridge.InferenceStarter;
import org.segflow.bridge.KafkaBridge;
import org.segflow.bridge.KafkaSettings;
import org.segflow.contract.EventTopics;
import org.segflow.metrics.EventMetrics;
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

  @Mixin
  MetricsOptions metrics;

  @Override
  public Integer call() throws Exception {
    WorkflowServiceStubs service = temporal.service();
    try (var endpoint = metrics.start().orElse(null)) {
      EventMetrics events = endpoint == null ? null
          : new EventMetrics(endpoint.metrics().registry(), List.of(EventTopics.IMAGES_ARRIVED));
      KafkaBridge bridge = create(storage.paths(), inboxRoots, kafka.settings(),
          new InferenceStarter(temporal.client(service)), events);
      Runtime.getRuntime().addShutdownHook(new Thread(bridge::close, "segflow-bridge-shutdown"));
      System.out.printf("segflow bridge: %s on %s -> Temporal %s namespace %s%n", EventTopics.IMAGES_ARRIVED,
          kafka.bootstrapServers, temporal.target, temporal.namespace);
      bridge.run();
    } finally {
      service.shutdown();
    }
    return 0;
  }

  /** The bridge of `segflow bridge` (also for `segflow dev`); {@code events} may be null. */
  static KafkaBridge create(SegflowPaths paths, List<Path> inboxRoots, KafkaSettings settings,
      InferenceStarter starter, EventMetrics events) {
    List<Path> roots = inboxRoots == null || inboxRoots.isEmpty() ? List.of(paths.inbox()) : inboxRoots;
    ModelRegistry registry = new ModelRegistry(paths);
    ArrivalValidator validator = new ArrivalValidator(roots, ref -> {
      Optional<String> served = registry.servedDataset(ref);
      return served;
    });
    BridgeListener listener = (topic, outcome, detail) -> {
      System.out.println(outcome.name().toLowerCase(java.util.Locale.ROOT) + " " + detail);
      if (events != null) {
        events.record(topic, EventMetrics.Outcome.valueOf(outcome.name()));
      }
    };
    return KafkaBridge.create(settings, validator, starter, listener);
  }
}
