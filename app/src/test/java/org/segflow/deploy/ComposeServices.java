package org.segflow.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The segflow services of docker-compose.yml (those built from a segflow image), each with its
 * {@code command} and the environment its container gets: the image's ENV lines, then the service's
 * {@code environment}.
 */
final class ComposeServices {

  private ComposeServices() {}

  static List<ServiceSpec> read(DeployFiles files) {
    Map<String, String> image = ImageEnvironment.of(files.read("deploy/docker/Dockerfile.cpu"));
    List<ServiceSpec> out = new ArrayList<>();
    files.one("docker-compose.yml").path("services").fields().forEachRemaining(e -> {
      JsonNode s = e.getValue();
      if (!s.path("image").asText().startsWith("segflow:")) {
        return; // third-party: Temporal, PostgreSQL, Kafka, Prometheus, Grafana ...
      }
      List<String> args = new ArrayList<>();
      s.path("command").forEach(a -> args.add(a.asText()));
      Map<String, String> env = new LinkedHashMap<>(image);
      s.path("environment").fields().forEachRemaining(v -> env.put(v.getKey(), v.getValue().asText()));
      out.add(new ServiceSpec(e.getKey(), args, env, "docker-compose.yml"));
    });
    return out;
  }

  /** The compose services named in {@code service}'s depends_on. */
  static List<String> dependsOn(DeployFiles files, String service) {
    List<String> out = new ArrayList<>();
    files.one("docker-compose.yml").path("services").path(service).path("depends_on").fieldNames()
        .forEachRemaining(out::add);
    return out;
  }
}
