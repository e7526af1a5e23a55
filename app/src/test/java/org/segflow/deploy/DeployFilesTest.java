package org.segflow.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.segflow.SegflowVersion;
import org.segflow.cli.SegflowCommand;
import org.segflow.bridge.KafkaBridge;
import org.segflow.contract.DataPreparationActivities;
import org.segflow.contract.EventTopics;
import org.segflow.contract.InferenceWorkflow;
import org.segflow.contract.PipelineWorkflow;
import org.segflow.contract.TrainingActivities;
import org.segflow.storage.SegflowPaths;
import picocli.CommandLine;

/**
 * Checks docker-compose.yml, deploy/ (images, Kubernetes, Prometheus) against the code: subcommands and
 * options through segflow's picocli model, task queues through the contract constants, Kafka topics and the
 * bridge's consumer group through EventTopics and KafkaBridge, environment variables through what the
 * sources, bin/segflow and DJL read, metrics ports through prometheus.yml and the subcommands' defaults.
 */
class DeployFilesTest {

  private static final Pattern ENV_REF = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");
  /** Kafka topic names (DESIGN.md: segflow.images.arrived, segflow.segmentations.completed, ....dlq). */
  private static final Pattern TOPIC = Pattern.compile("segflow\\.(images|segmentations)\\.[a-z]+(\\.[a-z]+)*");
  /** Variables read below the JVM: glibc's allocator, OpenMP in libtorch, the NVIDIA container runtime, the JVM. */
  private static final Set<String> PLATFORM_VARIABLES = Set.of("GLIBC_TUNABLES", "OMP_WAIT_POLICY", "OMP_NUM_THREADS",
      "NVIDIA_VISIBLE_DEVICES", "NVIDIA_DRIVER_CAPABILITIES", "JAVA_TOOL_OPTIONS");

  private static DeployFiles files;
  private static List<SegflowProcess> processes;

  /** One segflow container: where it is declared, its arguments and environment, its image. */
  record SegflowProcess(String where, String name, String image, List<String> args, Map<String, String> env,
      Set<String> envFromConfigMaps, Integer declaredMetricsPort, String mountPath) {

    String subcommand() {
      return args.get(0);
    }

    String option(String name) {
      int i = args.indexOf(name);
      return i < 0 || i + 1 >= args.size() ? null : args.get(i + 1);
    }
  }

  @BeforeAll
  static void load() {
    files = DeployFiles.load();
    processes = new ArrayList<>();
    Map<String, Integer> scrapePorts = prometheusTargets();
    for (var compose : List.of(Map.entry("docker-compose.yml", files.one("docker-compose.yml")),
        Map.entry("docker-compose.yml + deploy/docker/compose.gpu.yml", files.composeWithGpu()))) {
      compose.getValue().path("services").fields().forEachRemaining(e -> {
        JsonNode s = e.getValue();
        if (!s.path("image").asText().startsWith("segflow:")) {
          return;
        }
        Map<String, String> env = new TreeMap<>(dockerfileEnv(s.path("build").path("dockerfile").asText()));
        s.path("environment").fields().forEachRemaining(v -> env.put(v.getKey(), v.getValue().asText()));
        String mount = null;
        for (JsonNode v : s.path("volumes")) {
          mount = v.asText().substring(v.asText().lastIndexOf(':') + 1);
        }
        processes.add(new SegflowProcess(compose.getKey(), e.getKey(), s.path("image").asText(),
            texts(s.path("command")), env, Set.of(), scrapePorts.get(e.getKey()), mount));
      });
    }
    for (JsonNode doc : files.kubernetesBase()) {
      if (!"Deployment".equals(doc.path("kind").asText())) {
        continue;
      }
      JsonNode pod = doc.path("spec").path("template");
      for (JsonNode c : pod.path("spec").path("containers")) {
        String image = c.path("image").asText();
        Map<String, String> env = new TreeMap<>(dockerfileEnv(image.endsWith("-gpu") ? "deploy/docker/Dockerfile.gpu"
            : "deploy/docker/Dockerfile.cpu"));
        c.path("env").forEach(v -> env.put(v.path("name").asText(), v.path("value").asText()));
        Set<String> configMaps = new TreeSet<>();
        c.path("envFrom").forEach(v -> configMaps.add(v.path("configMapRef").path("name").asText()));
        JsonNode port = pod.path("metadata").path("annotations").path("prometheus.io/port");
        String mount = null;
        for (JsonNode m : c.path("volumeMounts")) {
          if (m.path("name").asText().equals("segflow-home")) {
            mount = m.path("mountPath").asText();
          }
        }
        processes.add(new SegflowProcess("deploy/kubernetes/base", doc.path("metadata").path("name").asText(), image,
            texts(c.path("args")), env, configMaps, port.isMissingNode() ? null : Integer.valueOf(port.asText()), mount));
      }
    }
  }

  @Test
  void everyDeployFileParses() {
    for (String f : List.of("docker-compose.yml", "deploy/docker/compose.gpu.yml", "deploy/prometheus.yml",
        "deploy/kubernetes/base/kustomization.yaml", "deploy/kubernetes/overlays/gpu/kustomization.yaml",
        "deploy/kubernetes/overlays/cpu-only/kustomization.yaml")) {
      assertTrue(files.documents.containsKey(f), "missing " + f);
    }
    files.documents.forEach((path, docs) -> assertFalse(docs.isEmpty(), path + " holds no document"));
    // compose, compose + compose.gpu and Kubernetes: 3 workers and the bridge each
    assertEquals(4 * 3, processes.size(), "segflow processes found: " + processes);
    for (String where : List.of("docker-compose.yml", "docker-compose.yml + deploy/docker/compose.gpu.yml",
        "deploy/kubernetes/base")) {
      List<String> names = processes.stream().filter(p -> p.where.equals(where)).map(SegflowProcess::name).sorted().toList();
      assertEquals(List.of("bridge", "orchestrator", "worker-cpu", "worker-gpu"), names, where);
    }
  }

  @Test
  void everySegflowCommandLineParsesWithTheRealCommand() {
    Set<String> subcommands = SegflowCommand.commandLine().getSubcommands().keySet();
    for (SegflowProcess p : processes) {
      assertTrue(subcommands.contains(p.subcommand()),
          p.where + " " + p.name + ": segflow has no subcommand '" + p.subcommand() + "' (has " + subcommands + ")");
      try {
        SegflowCommand.commandLine().parseArgs(p.args.toArray(String[]::new));
      } catch (CommandLine.ParameterException e) {
        fail(p.where + " " + p.name + ": segflow " + String.join(" ", p.args) + " is rejected: " + e.getMessage());
      }
    }
  }

  @Test
  void workerPoolsAndTaskQueuesMatchTheContract() throws ReflectiveOperationException {
    Set<String> pools = new TreeSet<>();
    for (Object c : Class.forName("org.segflow.cli.WorkerCommand$Pool").getEnumConstants()) {
      pools.add(c.toString().toLowerCase(Locale.ROOT));
    }
    Map<String, String> queueOfPool = Map.of("orchestrator", PipelineWorkflow.TASK_QUEUE,
        "cpu", DataPreparationActivities.TASK_QUEUE, "gpu", TrainingActivities.TASK_QUEUE);
    assertTrue(pools.containsAll(queueOfPool.keySet()), "WorkerCommand pools: " + pools);

    Map<String, String> queueOfDeployment = new TreeMap<>();
    Set<String> servedInCompose = new TreeSet<>();
    for (SegflowProcess p : processes) {
      if (p.subcommand().equals("bridge")) {
        continue; // the Kafka bridge serves no task queue: it starts workflows
      }
      assertEquals("worker", p.subcommand(), p.name);
      String pool = p.option("--pool");
      assertTrue(queueOfPool.containsKey(pool), p.where + " " + p.name + ": --pool " + pool);
      assertTrue(p.name.contains(pool), p.where + ": service " + p.name + " serves pool " + pool);
      if (p.where.startsWith("deploy/kubernetes")) {
        queueOfDeployment.put(p.name, queueOfPool.get(pool));
      } else {
        servedInCompose.add(queueOfPool.get(pool));
      }
    }
    Set<String> allQueues = Set.copyOf(queueOfPool.values());
    assertEquals(allQueues, servedInCompose, "docker-compose serves every task queue");
    assertEquals(allQueues, Set.copyOf(queueOfDeployment.values()), "Kubernetes serves every task queue");

    // Every KEDA temporal trigger watches the queue its target Deployment serves, on the configured Temporal.
    String temporal = configMap("segflow-temporal").path("TEMPORAL_ADDRESS").asText();
    int triggers = 0;
    for (JsonNode so : kinds("ScaledObject")) {
      String target = so.path("spec").path("scaleTargetRef").path("name").asText();
      for (JsonNode t : so.path("spec").path("triggers")) {
        if (t.path("type").asText().equals("temporal")) {
          triggers++;
          assertEquals(queueOfDeployment.get(target), t.path("metadata").path("taskQueue").asText(),
              "ScaledObject " + so.path("metadata").path("name").asText() + " watches the queue of " + target);
          assertEquals("activity", t.path("metadata").path("queueTypes").asText());
          assertEquals(temporal, t.path("metadata").path("endpoint").asText(), "KEDA endpoint = TEMPORAL_ADDRESS");
        }
      }
    }
    assertTrue(kinds("ScaledObject").stream().anyMatch(so ->
            so.path("spec").path("scaleTargetRef").path("name").asText().equals("worker-gpu")),
        "gpu workers scale on the " + TrainingActivities.TASK_QUEUE + " backlog");
    assertTrue(triggers >= 2);

    // No other queue-like name anywhere in deploy/.
    Pattern queueLike = Pattern.compile("\\bsegflow-(orchestrator|cpu|gpu|[a-z]+-queue)\\b");
    files.documents.forEach((path, docs) -> {
      Matcher m = queueLike.matcher(docs.toString());
      while (m.find()) {
        assertTrue(allQueues.contains(m.group()), path + ": unknown task queue " + m.group());
      }
    });
  }

  @Test
  void temporalAddressesPointAtTheTemporalService() {
    JsonNode compose = files.one("docker-compose.yml").path("services");
    for (SegflowProcess p : processes) {
      String target = p.option("--temporal");
      if (p.where.startsWith("deploy/kubernetes")) {
        assertEquals("$(TEMPORAL_ADDRESS)", target, p.name);
        assertEquals("$(TEMPORAL_NAMESPACE)", p.option("--namespace"), p.name);
        continue;
      }
      String host = target.substring(0, target.indexOf(':'));
      String port = target.substring(target.indexOf(':') + 1);
      assertTrue(compose.has(host), p.name + ": --temporal " + target + " names no compose service");
      assertTrue(texts(compose.path(host).path("ports")).stream().anyMatch(x -> x.endsWith(":" + port)),
          p.name + ": service " + host + " does not publish " + port);
      assertEquals("temporal", compose.path(p.name).path("depends_on").fieldNames().next(), p.name);
    }
    // The documented host path `--temporal localhost:7233`: the frontend port is published as is.
    assertTrue(texts(compose.path("temporal").path("ports")).contains("7233:7233"));
  }

  @Test
  void theBridgeStartsWorkflowsWhereTheirQueueIsServed() {
    assertEquals(PipelineWorkflow.TASK_QUEUE, InferenceWorkflow.TASK_QUEUE, "the orchestrator pool runs InferenceWorkflow");
    for (SegflowProcess bridge : processes.stream().filter(p -> p.subcommand().equals("bridge")).toList()) {
      SegflowProcess orchestrator = processes.stream()
          .filter(p -> p.where.equals(bridge.where) && "orchestrator".equals(p.option("--pool"))).findFirst()
          .orElseThrow(() -> new AssertionError(bridge.where + ": no --pool orchestrator beside the bridge"));
      for (String option : List.of("--temporal", "--namespace")) {
        assertEquals(orchestrator.option(option), bridge.option(option),
            bridge.where + ": the bridge's " + option + " differs from the orchestrator's, its workflows would never run");
      }
    }
  }

  @Test
  void kafkaAddressesPointAtTheKafkaBrokers() {
    JsonNode compose = files.one("docker-compose.yml").path("services");
    String configured = configMap("segflow-kafka").path("KAFKA_BOOTSTRAP_SERVERS").asText();
    assertFalse(configured.isEmpty(), "ConfigMap segflow-kafka has no KAFKA_BOOTSTRAP_SERVERS");
    for (SegflowProcess p : processes.stream().filter(p -> p.subcommand().equals("bridge")).toList()) {
      String servers = p.option("--bootstrap-servers");
      if (p.where.startsWith("deploy/kubernetes")) {
        assertEquals("$(KAFKA_BOOTSTRAP_SERVERS)", servers, p.name);
        assertTrue(p.envFromConfigMaps.contains("segflow-kafka"), p.name + " does not load ConfigMap segflow-kafka");
        continue;
      }
      // The broker advertises exactly this address on some listener: a client bootstrapping elsewhere
      // would be sent to an address it may not reach.
      String host = servers.substring(0, servers.indexOf(':'));
      assertTrue(compose.has(host), p.name + ": --bootstrap-servers " + servers + " names no compose service");
      String advertised = compose.path(host).path("environment").path("KAFKA_ADVERTISED_LISTENERS").asText();
      assertTrue(List.of(advertised.split(",")).stream().anyMatch(l -> l.endsWith("://" + servers)),
          p.name + ": --bootstrap-servers " + servers + " is not among " + host + "'s advertised listeners " + advertised);
      assertEquals("service_healthy", compose.path(p.name).path("depends_on").path(host).path("condition").asText(),
          p.name + " must wait for a healthy " + host);
    }
  }

  @Test
  void kedaScalesTheBridgeOnItsConsumerGroupsLag() throws IOException {
    List<JsonNode> kafkaTriggers = new ArrayList<>();
    JsonNode scaledObject = null;
    for (JsonNode so : kinds("ScaledObject")) {
      for (JsonNode t : so.path("spec").path("triggers")) {
        if (t.path("type").asText().equals("kafka")) {
          kafkaTriggers.add(t.path("metadata"));
          scaledObject = so;
        }
      }
    }
    assertEquals(1, kafkaTriggers.size(), "one KEDA kafka trigger (the bridge's)");
    JsonNode trigger = kafkaTriggers.get(0);
    String target = scaledObject.path("spec").path("scaleTargetRef").path("name").asText();
    SegflowProcess bridge = processes.stream().filter(p -> p.where.startsWith("deploy/kubernetes") && p.name.equals(target))
        .findFirst().orElseThrow(() -> new AssertionError("the kafka ScaledObject targets " + target + ", no Deployment"));
    assertEquals("bridge", bridge.subcommand(), "the kafka ScaledObject scales " + target);

    // What the bridge consumes, as which group, from which brokers.
    assertEquals(EventTopics.IMAGES_ARRIVED, trigger.path("topic").asText(), "KEDA watches the bridge's topic");
    assertEquals(KafkaBridge.GROUP_ID, trigger.path("consumerGroup").asText(), "KEDA watches the bridge's consumer group");
    assertEquals(configMap("segflow-kafka").path("KAFKA_BOOTSTRAP_SERVERS").asText(),
        trigger.path("bootstrapServers").asText(), "KEDA bootstrapServers = KAFKA_BOOTSTRAP_SERVERS");
    String sources = mainSources();
    assertEquals(consumerSetting(sources, "AUTO_OFFSET_RESET_CONFIG"), trigger.path("offsetResetPolicy").asText(),
        "KEDA counts lag of an uncommitted group as the bridge's consumer starts reading");
    assertEquals(consumerSetting(sources, "MAX_POLL_RECORDS_CONFIG"), trigger.path("lagThreshold").asText(),
        "lagThreshold is one poll's batch per replica (scaling.yaml)");

    // No more replicas than partitions: `segflow kafka` creates the topic with --partitions (default).
    int partitions = Integer.parseInt(SegflowCommand.commandLine().getSubcommands().get("kafka").getCommandSpec()
        .findOption("--partitions").defaultValue());
    assertEquals(3, partitions, "scaling.yaml and bridge.yaml say 3 partitions");
    int min = scaledObject.path("spec").path("minReplicaCount").asInt(-1);
    int max = scaledObject.path("spec").path("maxReplicaCount").asInt(-1);
    assertTrue(1 <= min && min <= max && max <= partitions,
        "bridge replicas " + min + ".." + max + ": at least one, at most the " + partitions + " partitions of "
            + EventTopics.IMAGES_ARRIVED);
    assertFalse(trigger.path("allowIdleConsumers").asBoolean(false), "idle consumers beyond the partitions");
    String manifests = files.read("deploy/kubernetes/base/scaling.yaml") + files.read("deploy/kubernetes/base/bridge.yaml");
    assertTrue(manifests.contains(partitions + " partitions"), "the manifests' comments name the partition count");

    // Offsets are committed after the workflow starts, so a stop at any point loses nothing; a clean stop
    // (one start, one commit, two 5 s closes) fits the grace period.
    int grace = deployment(target).path("spec").path("template").path("spec").path("terminationGracePeriodSeconds").asInt();
    assertTrue(grace >= 15 && grace <= 120, "bridge terminationGracePeriodSeconds " + grace);
  }

  /** The string value a KafkaSettings consumer gets for a ConsumerConfig constant (exactly one in the sources). */
  private static String consumerSetting(String sources, String constant) {
    Matcher m = Pattern.compile("ConsumerConfig\\." + constant + ",\\s*\"([^\"]+)\"").matcher(sources);
    assertTrue(m.find(), "main sources set no ConsumerConfig." + constant);
    String value = m.group(1);
    assertFalse(m.find(), "main sources set ConsumerConfig." + constant + " more than once");
    return value;
  }

  @Test
  void composeServicesDependOnExistingServicesVolumesAndFiles() {
    for (JsonNode compose : List.of(files.one("docker-compose.yml"), files.composeWithGpu())) {
      JsonNode services = compose.path("services");
      services.fields().forEachRemaining(e -> {
        String name = e.getKey();
        JsonNode s = e.getValue();
        s.path("depends_on").fieldNames().forEachRemaining(d -> {
          assertTrue(services.has(d), name + " depends on missing service " + d);
          String condition = s.path("depends_on").path(d).path("condition").asText();
          if (condition.equals("service_healthy")) {
            assertTrue(services.path(d).has("healthcheck"), name + " waits for " + d + " to be healthy, it has no healthcheck");
          }
        });
        for (String v : texts(s.path("volumes"))) {
          String source = v.substring(0, v.indexOf(':'));
          if (source.startsWith("./")) {
            assertTrue(Files.exists(files.root.resolve(source)), name + ": mounts missing " + source);
          } else if (!source.startsWith("$")) {
            assertTrue(compose.path("volumes").has(source), name + ": volume " + source + " is not declared");
          }
        }
        String dockerfile = s.path("build").path("dockerfile").asText(null);
        if (dockerfile != null) {
          assertTrue(Files.isRegularFile(files.root.resolve(dockerfile)), name + ": no " + dockerfile);
        }
      });
      for (String required : List.of("postgresql", "temporal", "temporal-ui", "kafka", "prometheus", "grafana",
          "orchestrator", "worker-cpu", "worker-gpu", "bridge")) {
        assertTrue(services.has(required), "docker-compose.yml lacks " + required);
      }
    }
    // Prometheus and Grafana read the files where deploy/ says they are mounted.
    JsonNode services = files.one("docker-compose.yml").path("services");
    String rules = files.one("deploy/prometheus.yml").path("rule_files").get(0).asText();
    assertTrue(texts(services.path("prometheus").path("volumes")).contains("./deploy/prometheus/alerts.yml:" + rules + ":ro"));
    String dashboards = files.one("deploy/grafana/provisioning/dashboards/segflow.yml").path("providers").get(0)
        .path("options").path("path").asText();
    assertTrue(texts(services.path("grafana").path("volumes")).contains("./dashboards:" + dashboards + ":ro"));
    String datasource = files.one("deploy/grafana/provisioning/datasources/prometheus.yml").path("datasources").get(0)
        .path("url").asText();
    assertEquals("http://prometheus:9090", datasource);
    assertTrue(texts(services.path("prometheus").path("ports")).contains("9090:9090"));
  }

  @Test
  void imagesAreBuiltFromTheMavenOutputAtTheCodeVersion() {
    String version = SegflowVersion.VERSION.substring(SegflowVersion.VERSION.lastIndexOf(' ') + 1);
    String pom = files.read("app/pom.xml");
    assertTrue(pom.contains("<finalName>segflow</finalName>") && pom.contains("${project.build.directory}/lib</outputDirectory>"),
        "app/pom.xml no longer writes target/segflow.jar + target/lib/");
    for (String flavour : List.of("cpu", "gpu")) {
      String dockerfile = files.read("deploy/docker/Dockerfile." + flavour);
      assertTrue(dockerfile.contains("COPY app/target/segflow.jar segflow.jar"), flavour);
      assertTrue(dockerfile.contains("COPY app/target/lib/ lib/"), flavour);
      assertTrue(dockerfile.contains("ENTRYPOINT [\"/usr/local/bin/segflow\"]"), flavour);
      assertTrue(files.read("deploy/docker/Dockerfile." + flavour + ".dockerignore").contains("!app/target/segflow.jar"));
    }
    assertTrue(files.read("deploy/docker/segflow-entrypoint.sh").contains("-jar /opt/segflow/segflow.jar"));
    // The CUDA image carries the CUDA flavour of the PyTorch version the engine is built against.
    String gpu = files.read("deploy/docker/Dockerfile.gpu");
    String flavour = dockerfileEnv("deploy/docker/Dockerfile.gpu").get("PYTORCH_FLAVOR");
    Matcher cuda = Pattern.compile("nvidia/cuda:(\\d+)\\.(\\d+)\\.\\d+-").matcher(gpu);
    assertTrue(cuda.find(), "Dockerfile.gpu: no nvidia/cuda base");
    assertEquals("cu" + cuda.group(1) + cuda.group(2), flavour, "PYTORCH_FLAVOR matches the CUDA base image");
    assertTrue(gpu.contains("rm -f lib/pytorch-native-cpu-"), "the CPU natives jar would shadow the CUDA ones");

    for (SegflowProcess p : processes) {
      String tag = p.image.substring(p.image.indexOf(':') + 1);
      assertTrue(tag.equals(version + "-cpu") || tag.equals(version + "-gpu"), p.where + " " + p.name + ": image " + p.image
          + ", expected segflow:" + version + "-cpu|gpu (SegflowVersion)");
      if (tag.endsWith("-gpu")) {
        assertEquals("gpu", p.option("--pool"), p.name + " runs the CUDA image");
      }
    }
    for (JsonNode compose : List.of(files.one("docker-compose.yml"), files.composeWithGpu())) {
      compose.path("services").fields().forEachRemaining(e -> {
        String image = e.getValue().path("image").asText();
        if (image.startsWith("segflow:")) {
          String df = e.getValue().path("build").path("dockerfile").asText();
          assertEquals("deploy/docker/Dockerfile." + image.substring(image.lastIndexOf('-') + 1), df, e.getKey());
        }
      });
    }
  }

  @Test
  void environmentVariablesAreOnesTheCodeReads() throws IOException {
    String mainSources = mainSources();
    String scripts = files.read("bin/segflow") + files.read("deploy/docker/segflow-entrypoint.sh");
    Set<String> djl = djlStrings(Set.of("DJL_OFFLINE", "ENGINE_CACHE_DIR", "PYTORCH_FLAVOR"));
    for (SegflowProcess p : processes) {
      Set<String> names = new TreeSet<>(p.env.keySet());
      for (String cm : p.envFromConfigMaps) {
        configMap(cm).fieldNames().forEachRemaining(names::add);
      }
      for (String name : names) {
        boolean read = mainSources.contains("\"" + name + "\"") || scripts.contains("${" + name)
            || scripts.contains("$" + name + " ") || djl.contains(name) || PLATFORM_VARIABLES.contains(name)
            || String.join(" ", p.args).contains("$(" + name + ")");
        assertTrue(read, p.where + " " + p.name + " sets " + name + ", which nothing reads");
      }
      for (String ref : refs(p.args)) {
        assertTrue(names.contains(ref), p.where + " " + p.name + ": $(" + ref + ") is not set");
      }
      // The other way round: what the code needs.
      assertEquals(p.mountPath, p.env.get(SegflowPaths.HOME_VARIABLE),
          p.where + " " + p.name + ": SEGFLOW_HOME must be the shared volume's mount path");
      assertEquals("true", p.env.get("DJL_OFFLINE"), p.name + ": DJL must not download at run time");
      assertTrue(p.env.getOrDefault("ENGINE_CACHE_DIR", "").startsWith("/opt/segflow/"),
          p.name + ": the natives are baked into the image, not unpacked into SEGFLOW_HOME");
    }
    // Every variable bin/segflow exports is set by both images.
    Matcher m = Pattern.compile("export ([A-Z_]+)=").matcher(files.read("bin/segflow"));
    Set<String> exported = new TreeSet<>();
    while (m.find()) {
      exported.add(m.group(1));
    }
    assertEquals(Set.of("DJL_OFFLINE", "ENGINE_CACHE_DIR", "GLIBC_TUNABLES", "OMP_WAIT_POLICY"), exported);
    for (String flavour : List.of("cpu", "gpu")) {
      Map<String, String> env = dockerfileEnv("deploy/docker/Dockerfile." + flavour);
      for (String name : exported) {
        assertTrue(env.containsKey(name), "Dockerfile." + flavour + " does not set " + name + " as bin/segflow does");
      }
      assertEquals(bashDefault(files.read("bin/segflow"), "GLIBC_TUNABLES"), env.get("GLIBC_TUNABLES"), flavour);
      assertEquals(bashDefault(files.read("bin/segflow"), "OMP_WAIT_POLICY"), env.get("OMP_WAIT_POLICY"), flavour);
    }
  }

  @Test
  void topicNamesAreTheCodes() throws IOException {
    Set<String> codeTopics = new TreeSet<>();
    Matcher m = Pattern.compile("\"(" + TOPIC.pattern() + ")\"").matcher(mainSources());
    while (m.find()) {
      codeTopics.add(m.group(1));
    }
    Map<String, Set<String>> used = new TreeMap<>();
    files.documents.forEach((path, docs) -> {
      Matcher t = TOPIC.matcher(docs.toString());
      while (t.find()) {
        used.computeIfAbsent(path, k -> new TreeSet<>()).add(t.group());
      }
    });
    assertEquals(new TreeSet<>(EventTopics.ALL), codeTopics, "topic names in the main sources vs EventTopics.ALL");
    assertTrue(used.getOrDefault("deploy/kubernetes/base/scaling.yaml", Set.of()).contains(EventTopics.IMAGES_ARRIVED),
        "scaling.yaml: the bridge scales on " + EventTopics.IMAGES_ARRIVED);
    used.forEach((path, topics) -> assertTrue(codeTopics.containsAll(topics),
        path + ": topics " + topics + ", the code has " + codeTopics));
  }

  @Test
  void metricsPortsMatchPrometheusAndTheProcessOptions() {
    Map<String, Integer> targets = prometheusTargets();
    JsonNode compose = files.one("docker-compose.yml").path("services");
    for (String scraped : targets.keySet()) {
      assertTrue(compose.has(scraped), "prometheus.yml scrapes " + scraped + ", docker-compose.yml has no such service");
      assertTrue(processes.stream().anyMatch(p -> p.where.startsWith("deploy/kubernetes") && p.name.equals(scraped)),
          "prometheus.yml scrapes " + scraped + ", deploy/kubernetes/base has no such Deployment");
    }
    assertEquals(4, targets.size(), "prometheus.yml targets: " + targets);
    for (SegflowProcess p : processes) {
      assertTrue(p.declaredMetricsPort != null, p.where + " " + p.name + ": no Prometheus target / scrape annotation");
      int expected = targets.get(p.name);
      assertEquals(expected, p.declaredMetricsPort, p.where + " " + p.name + ": scrape port vs deploy/prometheus.yml");
      assertTrue(SegflowCommand.commandLine().getSubcommands().get(p.subcommand())
          .getCommandSpec().findOption("--metrics-port") != null, "segflow " + p.subcommand() + " has no --metrics-port");
      assertEquals(String.valueOf(expected), p.option("--metrics-port"),
          p.where + " " + p.name + ": segflow " + p.subcommand() + " --metrics-port must be the scraped port");
    }
    assertEquals(SegflowMetricsPort.DEFAULT, targets.get("orchestrator"), "orchestrator is the first process, 9464");
    // The bridge's scraped port is the one `segflow bridge` serves when run without --metrics-port.
    String bridgeDefault = SegflowCommand.commandLine().getSubcommands().get("bridge").getCommandSpec()
        .findOption("--metrics-port").defaultValue();
    assertEquals(bridgeDefault, String.valueOf(targets.get("bridge")), "prometheus.yml bridge port vs BridgeCommand's default");
    assertEquals(9465, Integer.parseInt(bridgeDefault), "the bridge is process 9464 + 1");
    for (SegflowProcess p : processes.stream().filter(p -> p.subcommand().equals("bridge")).toList()) {
      assertEquals(Integer.valueOf(bridgeDefault), p.declaredMetricsPort, p.where + " " + p.name + ": scrape port");
    }
  }

  @Test
  void kubernetesTrainingPodsAreGpuBoundDrainSafeAndShareStorage() {
    JsonNode gpu = deployment("worker-gpu").path("spec").path("template").path("spec");
    JsonNode cpu = deployment("worker-cpu").path("spec").path("template").path("spec");
    assertEquals(1, gpu.path("containers").get(0).path("resources").path("limits").path("nvidia.com/gpu").asInt());
    assertEquals("true", gpu.path("nodeSelector").path("nvidia.com/gpu.present").asText());
    assertEquals("nvidia.com/gpu", gpu.path("tolerations").get(0).path("key").asText());
    // Longer than one epoch (up to ~30 min at 640 px on CPU), and longer than any other pod's.
    assertTrue(gpu.path("terminationGracePeriodSeconds").asInt() > 1800);
    assertTrue(gpu.path("terminationGracePeriodSeconds").asInt() > cpu.path("terminationGracePeriodSeconds").asInt());
    JsonNode pdb = kinds("PodDisruptionBudget").get(0);
    assertEquals(deployment("worker-gpu").path("spec").path("selector").path("matchLabels"),
        pdb.path("spec").path("selector").path("matchLabels"));
    JsonNode pvc = kinds("PersistentVolumeClaim").get(0);
    assertEquals("ReadWriteMany", pvc.path("spec").path("accessModes").get(0).asText());
    for (JsonNode d : kinds("Deployment")) {
      JsonNode volumes = d.path("spec").path("template").path("spec").path("volumes");
      assertTrue(volumes.toString().contains("\"claimName\":\"" + pvc.path("metadata").path("name").asText() + "\""),
          d.path("metadata").path("name") + " does not mount SEGFLOW_HOME");
    }
    JsonNode base = files.one("deploy/kubernetes/base/kustomization.yaml");
    for (JsonNode r : base.path("resources")) {
      assertTrue(Files.isRegularFile(files.root.resolve("deploy/kubernetes/base").resolve(r.asText())), r.asText());
    }
    // ... and every manifest in base/ is built (the checks above read them all, kustomize only the listed).
    Set<String> manifests = new TreeSet<>();
    files.documents.keySet().stream().filter(f -> f.startsWith("deploy/kubernetes/base/") && !f.endsWith("/kustomization.yaml"))
        .forEach(f -> manifests.add(f.substring("deploy/kubernetes/base/".length())));
    assertEquals(manifests, new TreeSet<>(texts(base.path("resources"))), "base/kustomization.yaml resources vs base/");
  }

  @Test
  void kustomizeBuildsEveryOverlay() throws Exception {
    assumeTrue(runs("kubectl", "version", "--client"), "kubectl not installed: overlays not built");
    try (Stream<Path> overlays = Files.list(files.root.resolve("deploy/kubernetes/overlays"))) {
      for (Path o : overlays.sorted().toList()) {
        Process p = new ProcessBuilder("kubectl", "kustomize", o.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, o + ": " + out);
        List<JsonNode> docs = new ArrayList<>();
        Path tmp = Files.createTempFile("kustomize", ".yaml");
        try {
          Files.writeString(tmp, out);
          docs.addAll(DeployFiles.parse(tmp));
        } finally {
          Files.delete(tmp);
        }
        assertEquals(files.kubernetesBase().size(), docs.size(), o + " builds every base object");
        for (JsonNode d : docs) {
          if (d.path("kind").asText().equals("Deployment")) {
            String image = d.path("spec").path("template").path("spec").path("containers").get(0).path("image").asText();
            assertTrue(image.matches(".+/segflow:.+-(cpu|gpu)"), o + ": image " + image);
          }
        }
      }
    }
  }

  @Test
  void dockerComposeConfigAccepts() throws Exception {
    assumeTrue(runs("docker", "compose", "version") && runs("docker", "info"),
        "no docker compose plugin with a running engine here: `docker compose config` not run");
    for (List<String> args : List.of(List.of("docker", "compose", "-f", "docker-compose.yml", "config", "-q"),
        List.of("docker", "compose", "-f", "docker-compose.yml", "-f", "deploy/docker/compose.gpu.yml", "config", "-q"))) {
      Process p = new ProcessBuilder(args).directory(files.root.toFile()).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0, String.join(" ", args) + ": " + out);
    }
  }

  // ---- helpers

  /** The default port of the first process (SegflowMetrics.DEFAULT_PORT). */
  static final class SegflowMetricsPort {
    static final Integer DEFAULT = org.segflow.metrics.SegflowMetrics.DEFAULT_PORT;
  }

  /** prometheus.yml's static targets by host (= compose service / Deployment name) -> port. */
  private static Map<String, Integer> prometheusTargets() {
    Map<String, Integer> out = new LinkedHashMap<>();
    for (JsonNode job : files.one("deploy/prometheus.yml").path("scrape_configs")) {
      for (JsonNode sc : job.path("static_configs")) {
        for (JsonNode t : sc.path("targets")) {
          String[] hp = t.asText().split(":");
          if (!hp[0].equals("localhost")) {
            assertEquals(job.path("job_name").asText(), hp[0], "job names are the service names");
            out.put(hp[0], Integer.valueOf(hp[1]));
          }
        }
      }
    }
    return out;
  }

  private static Map<String, String> dockerfileEnv(String relative) {
    Map<String, String> env = new TreeMap<>();
    if (relative.isEmpty()) {
      return env;
    }
    String text = files.read(relative).replace("\\\n", " ");
    boolean from = false;
    for (String line : text.split("\n")) {
      if (line.startsWith("FROM ")) {
        from = true;
        env.clear(); // only the final stage's ENV reaches the container
      }
      if (line.startsWith("ENV ")) {
        Matcher m = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\\S+)").matcher(line.substring(4));
        while (m.find()) {
          env.put(m.group(1), m.group(2));
        }
      }
    }
    assertTrue(from, relative + " has no FROM");
    return env;
  }

  private static String bashDefault(String script, String name) {
    Matcher m = Pattern.compile(name + ":-([^}]+)}").matcher(script);
    assertTrue(m.find(), "bin/segflow: no default for " + name);
    return m.group(1);
  }

  private static JsonNode configMap(String name) {
    return kinds("ConfigMap").stream().filter(c -> c.path("metadata").path("name").asText().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no ConfigMap " + name)).path("data");
  }

  private static JsonNode deployment(String name) {
    return kinds("Deployment").stream().filter(c -> c.path("metadata").path("name").asText().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no Deployment " + name));
  }

  private static List<JsonNode> kinds(String kind) {
    return files.kubernetesBase().stream().filter(d -> d.path("kind").asText().equals(kind)).toList();
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static Set<String> refs(List<String> args) {
    Set<String> out = new TreeSet<>();
    for (String a : args) {
      Matcher m = ENV_REF.matcher(a);
      while (m.find()) {
        out.add(m.group(1));
      }
    }
    return out;
  }

  /** All main Java and proto sources of the modules, concatenated (the "grep the code" of the checks). */
  private static String mainSources() throws IOException {
    StringBuilder sb = new StringBuilder();
    for (String module : List.of("proto", "workers", "orchestrator", "app")) {
      Path src = files.root.resolve(module).resolve("src/main");
      if (!Files.isDirectory(src)) {
        continue;
      }
      try (Stream<Path> s = Files.walk(src)) {
        for (Path p : s.filter(f -> f.toString().endsWith(".java") || f.toString().endsWith(".proto")).sorted().toList()) {
          sb.append(Files.readString(p)).append('\n');
        }
      }
    }
    return sb.toString();
  }

  /** Which of {@code wanted} occur as strings in DJL's classes (the engine reads them, not segflow). */
  private static Set<String> djlStrings(Set<String> wanted) throws IOException {
    Set<String> found = new TreeSet<>();
    for (Class<?> c : List.of(ai.djl.util.Utils.class, ai.djl.pytorch.jni.LibUtils.class)) {
      try (InputStream in = c.getResourceAsStream(c.getSimpleName() + ".class")) {
        String bytes = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        wanted.stream().filter(bytes::contains).forEach(found::add);
      }
    }
    return found;
  }

  private static boolean runs(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
