package org.segflow.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.kafka.KafkaContainer;

/**
 * {@link DeployedScenario} on docker-compose.yml's segflow services (each its own OS process on this
 * machine, {@link LocalStack}) against the real third-party services of docker-compose.yml instead of the
 * stand-ins, started by Testcontainers: PostgreSQL and Temporal ({@code temporalio/auto-setup}) with the
 * image and environment of their compose services, on one network where PostgreSQL is {@code postgresql}
 * as in compose, and Kafka ({@code apache/kafka}) with compose's image and settings except its listeners,
 * which Testcontainers sets so that this machine reaches the broker on a published port. Images and tags
 * are read from docker-compose.yml; each container counts as started once its compose healthcheck
 * passes (Kafka: once Testcontainers' own check does). The segflow processes reach the containers
 * through their published ports: compose's {@code temporal:7233} and {@code kafka:9092} are translated to
 * them.
 *
 * <p>Needs a Docker engine; without one the test is skipped, saying so.
 */
class DeployedOnRealServicesIT {

  static final String NO_DOCKER = "no Docker engine available to Testcontainers (DOCKER_HOST, "
      + "/var/run/docker.sock, ~/.testcontainers.properties); this test runs docker-compose.yml's PostgreSQL, "
      + "Temporal and Kafka images as containers";

  /** Compose listener settings of the kafka service that Testcontainers' KafkaContainer sets itself. */
  private static final Set<String> KAFKA_LISTENER_ENV = Set.of("KAFKA_LISTENERS", "KAFKA_ADVERTISED_LISTENERS",
      "KAFKA_LISTENER_SECURITY_PROTOCOL_MAP", "KAFKA_CONTROLLER_LISTENER_NAMES", "KAFKA_CONTROLLER_QUORUM_VOTERS",
      "KAFKA_INTER_BROKER_LISTENER_NAME");

  @TempDir
  Path dir;

  @Test
  void dockerComposeServicesRunThePipelineAndAnswerEveryArrivingImageOnTheRealServices() throws Exception {
    assumeTrue(DockerClientFactory.instance().isDockerAvailable(), NO_DOCKER);
    DeployFiles files = DeployFiles.load();
    List<ServiceSpec> services = ComposeServices.read(files);
    assertEquals(Set.of("orchestrator", "worker-cpu", "worker-gpu", "bridge", "watcher"),
        services.stream().map(ServiceSpec::name).collect(Collectors.toSet()), "compose's segflow services");
    JsonNode compose = files.one("docker-compose.yml").path("services");
    JsonNode postgresqlService = compose.path("postgresql");
    JsonNode temporalService = compose.path("temporal");
    JsonNode kafkaService = compose.path("kafka");
    assertEquals(List.of("postgresql"), ComposeServices.dependsOn(files, "temporal"), "temporal's depends_on");
    int temporalPort = containerPort(temporalService);

    Map<String, String> kafkaEnv = environment(kafkaService);
    kafkaEnv.keySet().removeAll(KAFKA_LISTENER_ENV);

    try (Network network = Network.newNetwork();
        GenericContainer<?> postgresql = new GenericContainer<>(postgresqlService.path("image").asText())
            .withNetwork(network)
            .withNetworkAliases("postgresql")
            .withEnv(environment(postgresqlService))
            .waitingFor(Wait.forSuccessfulCommand(healthcheck(postgresqlService))
                .withStartupTimeout(Duration.ofMinutes(3)));
        GenericContainer<?> temporal = new GenericContainer<>(temporalService.path("image").asText())
            .withNetwork(network)
            .withNetworkAliases("temporal") // its compose healthcheck addresses temporal:7233
            .withEnv(environment(temporalService))
            .withExposedPorts(temporalPort)
            .waitingFor(Wait.forSuccessfulCommand(healthcheck(temporalService))
                .withStartupTimeout(Duration.ofMinutes(5)));
        KafkaContainer kafka = new KafkaContainer(kafkaService.path("image").asText())
            .withEnv(kafkaEnv)
            .withStartupTimeout(Duration.ofMinutes(3))) {
      postgresql.start();
      temporal.start();
      kafka.start();
      Map<LocalStack.StandIn, String> external = Map.of(
          LocalStack.StandIn.TEMPORAL, temporal.getHost() + ":" + temporal.getMappedPort(temporalPort),
          LocalStack.StandIn.KAFKA, kafka.getBootstrapServers());
      try (LocalStack stack = new LocalStack(dir, DeployedScenario.COMPOSE_ENDPOINTS, external)) {
        stack.startStandIns(); // starts nothing: both are external
        try {
          DeployedScenario.run(stack, services, dir);
        } catch (Exception | AssertionError e) {
          e.addSuppressed(new AssertionError("container logs:\n----- postgresql\n" + LocalStack.tail(postgresql.getLogs())
              + "\n----- temporal\n" + LocalStack.tail(temporal.getLogs()) + "\n----- kafka\n"
              + LocalStack.tail(kafka.getLogs())));
          throw e;
        }
      }
    }
  }

  /** A compose service's environment (values as strings). */
  static Map<String, String> environment(JsonNode service) {
    Map<String, String> env = new LinkedHashMap<>();
    service.path("environment").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
    return env;
  }

  /** A compose service's healthcheck test as a shell command line (CMD: its words; CMD-SHELL: as is). */
  static String healthcheck(JsonNode service) {
    JsonNode test = service.path("healthcheck").path("test");
    List<String> words = new ArrayList<>();
    test.forEach(w -> words.add(w.asText()));
    if (words.size() == 2 && words.get(0).equals("CMD-SHELL")) {
      return words.get(1);
    }
    if (words.size() >= 2 && words.get(0).equals("CMD")) {
      return words.subList(1, words.size()).stream().map(w -> "'" + w.replace("'", "'\\''") + "'")
          .collect(Collectors.joining(" "));
    }
    throw new AssertionError("unexpected healthcheck test " + test + " in " + service);
  }

  /** The container port a compose service publishes (its only {@code ports} entry, HOST:CONTAINER). */
  static int containerPort(JsonNode service) {
    JsonNode ports = service.path("ports");
    assertEquals(1, ports.size(), "one published port: " + ports);
    String p = ports.get(0).asText();
    return Integer.parseInt(p.substring(p.lastIndexOf(':') + 1));
  }
}
