package org.segflow.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.Yaml;

/**
 * The segflow containers of a rendered Kustomize overlay, as the kubelet would start them: args with
 * {@code $(VAR)} expanded from the container's env and envFrom ConfigMaps, environment = the image's ENV
 * lines, then the ConfigMaps, then env. Rendering follows Kustomize for what segflow's overlays use
 * (resources, JSON 6902 and strategic-merge patches by kind and name); {@link #renderWithKubectl} asks a
 * real {@code kubectl kustomize} where one is installed, and a test keeps the two equal.
 */
final class KubernetesServices {

  private static final Pattern VAR = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

  private KubernetesServices() {}

  /** The segflow processes of {@code overlay} (e.g. deploy/kubernetes/overlays/cpu-only). */
  static List<ServiceSpec> read(DeployFiles files, String overlay) {
    return services(files, render(files.root.resolve(overlay)), overlay);
  }

  static List<ServiceSpec> services(DeployFiles files, List<JsonNode> objects, String source) {
    Map<String, String> image = ImageEnvironment.of(files.read("deploy/docker/Dockerfile.cpu"));
    Map<String, Map<String, String>> configMaps = new LinkedHashMap<>();
    for (JsonNode o : objects) {
      if (o.path("kind").asText().equals("ConfigMap")) {
        Map<String, String> data = new LinkedHashMap<>();
        o.path("data").fields().forEachRemaining(e -> data.put(e.getKey(), e.getValue().asText()));
        configMaps.put(o.path("metadata").path("name").asText(), data);
      }
    }
    List<ServiceSpec> out = new ArrayList<>();
    for (JsonNode o : objects) {
      JsonNode pod = podTemplate(o);
      if (pod == null) {
        continue;
      }
      for (JsonNode c : pod.path("spec").path("containers")) {
        if (!c.path("image").asText().contains("segflow")) {
          continue;
        }
        Map<String, String> env = new LinkedHashMap<>(image);
        for (JsonNode from : c.path("envFrom")) {
          String name = from.path("configMapRef").path("name").asText();
          Map<String, String> data = configMaps.get(name);
          if (data == null) {
            throw new AssertionError(o.path("metadata").path("name").asText() + ": envFrom ConfigMap " + name
                + " is not among the rendered objects of " + source);
          }
          env.putAll(data);
        }
        for (JsonNode e : c.path("env")) {
          if (e.has("value")) {
            env.put(e.path("name").asText(), expand(e.path("value").asText(), env));
          }
        }
        List<String> args = new ArrayList<>();
        c.path("args").forEach(a -> args.add(expand(a.asText(), env)));
        out.add(new ServiceSpec(o.path("metadata").path("name").asText(), args, env, source));
      }
    }
    return out;
  }

  /** The pod template of a Deployment, StatefulSet, Job or KEDA ScaledJob; null for other kinds. */
  static JsonNode podTemplate(JsonNode o) {
    return switch (o.path("kind").asText()) {
      case "Deployment", "StatefulSet", "DaemonSet", "Job" -> o.path("spec").path("template");
      case "ScaledJob" -> o.path("spec").path("jobTargetRef").path("template");
      default -> null;
    };
  }

  /** Kubernetes' $(VAR) expansion: defined variables are replaced, $$ is a literal $, the rest stays. */
  static String expand(String s, Map<String, String> env) {
    StringBuilder b = new StringBuilder();
    Matcher m = VAR.matcher(s);
    int at = 0;
    while (m.find()) {
      if (m.start() > 0 && s.charAt(m.start() - 1) == '$') {
        continue; // $$(X): escaped
      }
      b.append(s, at, m.start());
      String v = env.get(m.group(1));
      b.append(v != null ? v : m.group());
      at = m.end();
    }
    return b.append(s.substring(at)).toString().replace("$$", "$");
  }

  /** The objects of a kustomization folder: its resources (files or folders), then its patches applied. */
  static List<JsonNode> render(Path dir) {
    JsonNode k = DeployFiles.parse(dir.resolve("kustomization.yaml")).get(0);
    List<JsonNode> objects = new ArrayList<>();
    for (JsonNode r : k.path("resources")) {
      Path p = dir.resolve(r.asText()).normalize();
      if (Files.isDirectory(p)) {
        objects.addAll(render(p));
      } else {
        objects.addAll(DeployFiles.parse(p));
      }
    }
    for (JsonNode patch : k.path("patches")) {
      JsonNode body = parseYaml(patch.has("path")
          ? read(dir.resolve(patch.path("path").asText())) : patch.path("patch").asText());
      String kind = patch.path("target").path("kind").asText(body.path("kind").asText());
      String name = patch.path("target").path("name").asText(body.path("metadata").path("name").asText());
      boolean applied = false;
      for (JsonNode o : objects) {
        if (o.path("kind").asText().equals(kind) && o.path("metadata").path("name").asText().equals(name)) {
          if (body.isArray()) {
            body.forEach(op -> jsonPatch((ObjectNode) o, op));
          } else {
            strategicMerge((ObjectNode) o, body);
          }
          applied = true;
        }
      }
      if (!applied) {
        throw new AssertionError(dir + ": patch target " + kind + "/" + name + " matches no resource");
      }
    }
    return objects;
  }

  /** Renders with the real Kustomize of kubectl; null when kubectl is not installed. */
  static List<JsonNode> renderWithKubectl(Path overlay) throws IOException, InterruptedException {
    Process p;
    try {
      p = new ProcessBuilder("kubectl", "kustomize", overlay.toString()).redirectErrorStream(false).start();
    } catch (IOException e) {
      return null;
    }
    String out = new String(p.getInputStream().readAllBytes());
    String err = new String(p.getErrorStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new AssertionError("kubectl kustomize " + overlay + " failed: " + err);
    }
    List<JsonNode> objects = new ArrayList<>();
    for (Object doc : new Yaml().loadAll(out)) {
      if (doc != null) {
        objects.add(new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(doc));
      }
    }
    return objects;
  }

  private static void jsonPatch(ObjectNode root, JsonNode op) {
    String[] path = op.path("path").asText().substring(1).split("/");
    JsonNode parent = root;
    for (int i = 0; i < path.length - 1; i++) {
      String seg = unescape(path[i]);
      parent = parent.isArray() ? parent.path(Integer.parseInt(seg)) : parent.path(seg);
    }
    String last = unescape(path[path.length - 1]);
    String what = op.path("op").asText();
    if (parent.isMissingNode()) {
      throw new AssertionError("JSON patch path " + op.path("path").asText() + " does not exist");
    }
    if (parent.isArray()) {
      ArrayNode a = (ArrayNode) parent;
      int i = last.equals("-") ? a.size() : Integer.parseInt(last);
      switch (what) {
        case "remove" -> a.remove(i);
        case "replace" -> a.set(i, op.path("value"));
        case "add" -> a.insert(i, op.path("value"));
        default -> throw new AssertionError("unsupported JSON patch op " + what);
      }
      return;
    }
    ObjectNode o = (ObjectNode) parent;
    switch (what) {
      case "remove", "replace" -> {
        if (!o.has(last)) {
          throw new AssertionError("JSON patch " + what + ": " + op.path("path").asText() + " does not exist");
        }
        if (what.equals("remove")) {
          o.remove(last);
        } else {
          o.set(last, op.path("value"));
        }
      }
      case "add" -> o.set(last, op.path("value"));
      default -> throw new AssertionError("unsupported JSON patch op " + what);
    }
  }

  /** Maps merge key by key; lists of named objects (containers, env, volumes) merge by name; others replace. */
  private static void strategicMerge(ObjectNode target, JsonNode patch) {
    patch.fields().forEachRemaining(e -> {
      JsonNode t = target.get(e.getKey());
      JsonNode v = e.getValue();
      if (t instanceof ObjectNode to && v.isObject()) {
        strategicMerge(to, v);
      } else if (t instanceof ArrayNode ta && v.isArray() && v.size() > 0 && v.get(0).has("name")) {
        for (JsonNode item : v) {
          ObjectNode match = null;
          for (JsonNode existing : ta) {
            if (existing.path("name").equals(item.path("name"))) {
              match = (ObjectNode) existing;
            }
          }
          if (match != null) {
            strategicMerge(match, item);
          } else {
            ta.add(item);
          }
        }
      } else {
        target.set(e.getKey(), v);
      }
    });
  }

  private static String unescape(String s) {
    return s.replace("~1", "/").replace("~0", "~");
  }

  private static JsonNode parseYaml(String text) {
    Object doc = new Yaml().load(text);
    return doc == null ? JsonNodeFactory.instance.objectNode()
        : new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(doc);
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
