package org.segflow.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The repository's deployment files, parsed: every YAML (all documents; anchors and compose's {@code <<}
 * merge keys resolved by SnakeYAML, the parser under Jackson's YAML module) and JSON file under deploy/
 * and dashboards/, and docker-compose.yml, as Jackson trees.
 */
final class DeployFiles {

  private static final ObjectMapper JSON = new ObjectMapper();

  final Path root;
  /** Relative path -> documents, sorted by path. */
  final Map<String, List<JsonNode>> documents = new TreeMap<>();

  private DeployFiles(Path root) {
    this.root = root;
  }

  static DeployFiles load() {
    DeployFiles files = new DeployFiles(repositoryRoot());
    List<Path> paths = new ArrayList<>();
    paths.add(files.root.resolve("docker-compose.yml"));
    for (String dir : List.of("deploy", "dashboards")) {
      try (Stream<Path> s = Files.walk(files.root.resolve(dir))) {
        s.filter(Files::isRegularFile).filter(p -> p.toString().matches(".*\\.(ya?ml|json)$")).forEach(paths::add);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    for (Path p : paths) {
      files.documents.put(files.root.relativize(p).toString().replace('\\', '/'), parse(p));
    }
    return files;
  }

  static List<JsonNode> parse(Path p) {
    try {
      String text = Files.readString(p);
      if (p.toString().endsWith(".json")) {
        return List.of(JSON.readTree(text));
      }
      LoaderOptions options = new LoaderOptions();
      options.setAllowDuplicateKeys(false);
      List<JsonNode> docs = new ArrayList<>();
      for (Object doc : new Yaml(options).loadAll(text)) {
        if (doc != null) {
          docs.add(JSON.valueToTree(doc));
        }
      }
      return docs;
    } catch (IOException | RuntimeException e) {
      throw new AssertionError("cannot parse " + p + ": " + e.getMessage(), e);
    }
  }

  /** The single document of a file. */
  JsonNode one(String relative) {
    List<JsonNode> docs = documents.get(relative);
    if (docs == null || docs.size() != 1) {
      throw new AssertionError(relative + ": expected one YAML/JSON document, found " + (docs == null ? "no file" : docs.size()));
    }
    return docs.get(0);
  }

  /** Every document of every file under deploy/kubernetes/base (the manifests the overlays build on). */
  List<JsonNode> kubernetesBase() {
    List<JsonNode> out = new ArrayList<>();
    documents.forEach((path, docs) -> {
      if (path.startsWith("deploy/kubernetes/base/") && !path.endsWith("kustomization.yaml")) {
        out.addAll(docs);
      }
    });
    return out;
  }

  /** docker-compose.yml with deploy/docker/compose.gpu.yml's services merged over it (as compose -f a -f b). */
  JsonNode composeWithGpu() {
    ObjectNode merged = one("docker-compose.yml").deepCopy();
    one("deploy/docker/compose.gpu.yml").path("services").fields().forEachRemaining(e ->
        ((ObjectNode) merged.path("services").path(e.getKey())).setAll((ObjectNode) e.getValue()));
    return merged;
  }

  String read(String relative) {
    try {
      return Files.readString(root.resolve(relative));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The checkout: the folder above app/ that holds docker-compose.yml. */
  static Path repositoryRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !(Files.isRegularFile(p.resolve("docker-compose.yml")) && Files.isDirectory(p.resolve("deploy")))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new AssertionError("no docker-compose.yml with deploy/ above " + Path.of("").toAbsolutePath());
    }
    return p;
  }
}
