package org.segflow.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The product the way it is deployed: every segflow process that docker-compose.yml and the rendered
 * Kubernetes overlay start, each as its own OS process with exactly the arguments and environment the
 * file gives it ({@link LocalStack} says what is translated), around a Temporal and a Kafka process
 * (the stand-ins {@code segflow server} and {@code segflow kafka}), running {@link DeployedScenario}: a
 * pipeline started from the host as a user would, then images dropped into the inbox the watcher watches.
 * Asserted: the pipeline completes and publishes a model; every image gets exactly one
 * SegmentationCompleted naming that model and no dead letter; every process serves /metrics; every
 * process logs INFO lines from segflow. A process given wrong brokers or a wrong Temporal address makes
 * this fail (its part of the work never happens). {@link DeployedOnRealServicesIT} runs the same scenario
 * against the real third-party images.
 */
class DeployedTopologyIT {

  @TempDir
  Path dir;

  @Test
  void dockerComposeServicesRunThePipelineAndAnswerEveryArrivingImage() throws Exception {
    DeployFiles files = DeployFiles.load();
    List<ServiceSpec> services = ComposeServices.read(files);
    assertEquals(Set.of("orchestrator", "worker-cpu", "worker-gpu", "bridge", "watcher"),
        services.stream().map(ServiceSpec::name).collect(Collectors.toSet()), "compose's segflow services");
    run(services, DeployedScenario.COMPOSE_ENDPOINTS);
  }

  @Test
  void kubernetesCpuOnlyOverlayRunsThePipelineAndAnswersEveryArrivingImage() throws Exception {
    DeployFiles files = DeployFiles.load();
    List<ServiceSpec> services = KubernetesServices.read(files, "deploy/kubernetes/overlays/cpu-only");
    assertEquals(Set.of("orchestrator", "worker-cpu", "worker-gpu", "bridge", "watcher"),
        services.stream().map(ServiceSpec::name).collect(Collectors.toSet()), "the overlay's segflow workloads");
    // the cluster's endpoints, as the ConfigMaps give them to every container
    Map<String, LocalStack.StandIn> endpoints = new LinkedHashMap<>();
    for (ServiceSpec s : services) {
      endpoints.put(s.env().get("TEMPORAL_ADDRESS"), LocalStack.StandIn.TEMPORAL);
      String brokers = s.env().get("KAFKA_BOOTSTRAP_SERVERS");
      if (brokers != null) {
        for (String b : brokers.split(",")) {
          endpoints.put(b, LocalStack.StandIn.KAFKA);
        }
      }
    }
    endpoints.remove(null);
    run(services, endpoints);
  }

  private void run(List<ServiceSpec> services, Map<String, LocalStack.StandIn> endpoints) throws Exception {
    try (LocalStack stack = new LocalStack(dir, endpoints)) {
      stack.startStandIns();
      DeployedScenario.run(stack, services, dir);
    }
  }
}
