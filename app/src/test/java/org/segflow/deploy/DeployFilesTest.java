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
  /** Kafka topic names (segflow.images.arrived, segflow.segmentations.completed, ....dlq). */
  private static final Pattern TOPIC = Pattern.compile("segflow\\.(images|segmentations)\\.[a-z]+(\\.[a-z]+)*");
  /** Variables read below the JVM: glibc's allocator, OpenMP in libtorch, the NVIDIA container runtime, the JVM. */
  private static final Set<String> PLATFORM_VARIABLES = Set.of("GLIBC_TUNABLES", "OMP_WAIT_POLICY", "OMP_NUM_THREADS",
      "NVIDIA_VISIBLE_DEVICES", "NVIDIA_DRIVER_CAPABILITIES", "JAVA_TOOL_OPTIONS");

  /** The segflow processes of every deployment, by service / Deployment name (= scrape job name). */
  private static final List<String> SEGFLOW_SERVICES = List.of("bridge", "orchestrator", "watcher", "worker-cpu",
      "worker-gpu");

  private static DeployFiles files;
  private static List<SegflowProcess> processes;

  /** How long a stopping worker lets its activities run (WorkerCommand.gracefulStop): grace minus this margin. */
  private static final int GRACE_MARGIN_SECONDS = 30;

  /**
   * One segflow container: where it is declared (compose file, or deploy/kubernetes/base with the kind
   * of its object: Deployment or ScaledJob), its arguments and environment, its image, and the seconds
   * between SIGTERM and SIGKILL (compose stop_grace_period, Kubernetes terminationGracePeriodSeconds).
   */
  record SegflowProcess(String where, String name, String image, List<String> args, Map<String, String> env,
      Set<String> envFromConfigMaps, Integer declaredMetricsPort, String mountPath, String kind, int graceSeconds) {

    String subcommand() {
      return args.get(0);
    }

    boolean kubernetes() {
      return where.startsWith("deploy/kubernetes");
    }

    /** The worker pool, or null for other subcommands. */
    String pool() {
      return subcommand().equals("worker") ? (option("--pool") == null ? "all" : option("--pool")) : null;
    }

    /** Whether the process produces or consumes Kafka records: bridge, watch, and workers of the cpu pool. */
    boolean usesKafka() {
      return subcommand().equals("bridge") || subcommand().equals("watch")
          || "cpu".equals(pool()) || "all".equals(pool());
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
            texts(s.path("command")), env, Set.of(), scrapePorts.get(e.getKey()), mount, "compose",
            composeSeconds(s.path("stop_grace_period").asText("10s"))));
      });
    }
    for (JsonNode doc : files.kubernetesBase()) {
      JsonNode pod = podTemplate(doc);
      if (pod == null) {
        continue;
      }
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
            texts(c.path("args")), env, configMaps, port.isMissingNode() ? null : Integer.valueOf(port.asText()), mount,
            doc.path("kind").asText(), pod.path("spec").path("terminationGracePeriodSeconds").asInt(30)));
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
    // compose, compose + compose.gpu and Kubernetes: 3 workers, the bridge and the watcher each
    assertEquals(5 * 3, processes.size(), "segflow processes found: " + processes);
    for (String where : List.of("docker-compose.yml", "docker-compose.yml + deploy/docker/compose.gpu.yml",
        "deploy/kubernetes/base")) {
      List<String> names = processes.stream().filter(p -> p.where.equals(where)).map(SegflowProcess::name).sorted().toList();
      assertEquals(SEGFLOW_SERVICES, names, where);
    }
  }

  @Test
  void everySegflowCommandLineParsesWithTheRealCommand() {
    Set<String> subcommands = SegflowCommand.commandLine().getSubcommands().keySet();
    for (SegflowProcess p : processes) {
      assertTrue(subcommands.contains(p.subcommand()),
          p.where + " " + p.name + ": segflow has no subcommand '" + p.subcommand() + "' (has " + subcommands + ")");
      try {
        SegflowCommand.commandLine().parseArgs(argsTheCommandKnows(p).toArray(String[]::new));
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
      if (p.subcommand().equals("bridge") || p.subcommand().equals("watch")) {
        continue; // the Kafka bridge and the watcher serve no task queue: they start workflows, publish events
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
    List<JsonNode> scalers = new ArrayList<>(kinds("ScaledObject"));
    scalers.addAll(kinds("ScaledJob"));
    for (JsonNode so : scalers) {
      // a ScaledObject scales the Deployment it names; a ScaledJob runs its own pods, named as itself here
      String target = so.path("kind").asText().equals("ScaledJob") ? so.path("metadata").path("name").asText()
          : so.path("spec").path("scaleTargetRef").path("name").asText();
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
    assertTrue(kinds("ScaledJob").stream().anyMatch(sj -> sj.path("metadata").path("name").asText().equals("worker-gpu")),
        "gpu workers (a ScaledJob) scale on the " + TrainingActivities.TASK_QUEUE + " backlog");
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
      if (p.subcommand().equals("watch")) {
        assertTrue(p.option("--temporal") == null, p.name + ": segflow watch talks to Kafka only");
        continue;
      }
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
    // Every process that produces or consumes (bridge, watch, worker --pool cpu|all: result events and dead
    // letters) names the brokers, and the same ones as the bridge: KafkaOptions' default, 127.0.0.1:9092,
    // is nothing inside a container.
    Set<String> wheres = new TreeSet<>();
    for (SegflowProcess p : processes.stream().filter(SegflowProcess::usesKafka).toList()) {
      wheres.add(p.where);
      String servers = p.option("--bootstrap-servers");
      assertTrue(servers != null, p.where + " " + p.name + ": segflow " + p.subcommand()
          + " produces or consumes Kafka records but has no --bootstrap-servers (default " + "127.0.0.1:9092)");
      SegflowProcess bridge = processes.stream().filter(b -> b.where.equals(p.where) && b.subcommand().equals("bridge"))
          .findFirst().orElseThrow(() -> new AssertionError(p.where + ": no bridge"));
      assertEquals(bridge.option("--bootstrap-servers"), servers, p.where + " " + p.name + ": brokers differ from the bridge's");
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
    assertEquals(3, wheres.size(), "Kafka users in compose, compose + gpu and Kubernetes: " + wheres);
    for (String where : wheres) {
      Set<String> users = new TreeSet<>();
      processes.stream().filter(p -> p.where.equals(where) && p.usesKafka()).forEach(p -> users.add(p.name));
      assertEquals(Set.of("bridge", "watcher", "worker-cpu"), users, where + ": the processes that need Kafka");
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
          "orchestrator", "worker-cpu", "worker-gpu", "bridge", "watcher", "alertmanager")) {
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
    String resources = mainResources();
    // The logging configuration (log4j2, in main resources) reads these; until it is there, they are unread.
    Set<String> logging = Set.of("SEGFLOW_LOG_FORMAT", "SEGFLOW_LOG_LEVEL");
    boolean loggingConfigured = resources.contains("log4j2") || resources.contains("<Configuration");
    for (SegflowProcess p : processes) {
      Set<String> names = new TreeSet<>(p.env.keySet());
      for (String cm : p.envFromConfigMaps) {
        configMap(cm).fieldNames().forEachRemaining(names::add);
      }
      for (String name : names) {
        boolean read = mainSources.contains("\"" + name + "\"") || scripts.contains("${" + name)
            || scripts.contains("$" + name + " ") || djl.contains(name) || PLATFORM_VARIABLES.contains(name)
            || String.join(" ", p.args).contains("$(" + name + ")") || resources.contains(name)
            || (logging.contains(name) && !loggingConfigured);
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
    // PYTORCH_ENABLE_MPS_FALLBACK is exported on macOS only (Apple's GPU); the images are Linux.
    assertTrue(files.read("bin/segflow").matches("(?s).*if \\[ \"\\$\\(uname -s\\)\" = Darwin \\]; then\\s+export "
        + "PYTORCH_ENABLE_MPS_FALLBACK=.*"), "bin/segflow sets the MPS fallback on macOS only");
    exported.remove("PYTORCH_ENABLE_MPS_FALLBACK");
    // LD_PRELOAD (tcmalloc where the machine has it) is chosen at start, by bin/segflow and the entrypoint
    // alike, and the images install the library
    exported.remove("LD_PRELOAD");
    assertTrue(files.read("deploy/docker/segflow-entrypoint.sh").contains("libtcmalloc_minimal.so.4"),
        "the entrypoint preloads tcmalloc as bin/segflow does");
    for (String flavour : List.of("cpu", "gpu")) {
      assertTrue(files.read("deploy/docker/Dockerfile." + flavour).contains("libtcmalloc-minimal4"),
          "Dockerfile." + flavour + " installs the tcmalloc the entrypoint preloads");
    }
    assertEquals(Set.of("DJL_OFFLINE", "ENGINE_CACHE_DIR", "GLIBC_TUNABLES", "OMP_WAIT_POLICY"), exported);
    for (String flavour : List.of("cpu", "gpu")) {
      Map<String, String> env = dockerfileEnv("deploy/docker/Dockerfile." + flavour);
      for (String name : exported) {
        assertTrue(env.containsKey(name), "Dockerfile." + flavour + " does not set " + name + " as bin/segflow does");
      }
      assertEquals(bashDefault(files.read("bin/segflow"), "GLIBC_TUNABLES"), env.get("GLIBC_TUNABLES"), flavour);
      assertEquals(bashDefault(files.read("bin/segflow"), "OMP_WAIT_POLICY"), env.get("OMP_WAIT_POLICY"), flavour);
      // containers log one JSON object per line, for the cluster's log collector
      assertEquals("json", env.get("SEGFLOW_LOG_FORMAT"), "Dockerfile." + flavour + ": SEGFLOW_LOG_FORMAT");
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
    assertEquals(5, targets.size(), "prometheus.yml targets: " + targets);
    assertEquals(9468, targets.get("watcher"), "the watcher is process 9464 + 4");
    for (SegflowProcess p : processes) {
      assertTrue(p.declaredMetricsPort != null, p.where + " " + p.name + ": no Prometheus target / scrape annotation");
      int expected = targets.get(p.name);
      assertEquals(expected, p.declaredMetricsPort, p.where + " " + p.name + ": scrape port vs deploy/prometheus.yml");
      if (hasOption(p.subcommand(), "--metrics-port")) {
        assertEquals(String.valueOf(expected), p.option("--metrics-port"),
            p.where + " " + p.name + ": segflow " + p.subcommand() + " --metrics-port must be the scraped port");
      } else {
        assertEquals("watch", p.subcommand(), "segflow " + p.subcommand() + " has no --metrics-port");
        System.out.println("segflow watch has no --metrics-port yet: " + p.where + " " + p.name + " --metrics-port "
            + p.option("--metrics-port") + " checked against prometheus.yml only");
        assertEquals(String.valueOf(expected), p.option("--metrics-port"), p.where + " " + p.name);
      }
    }
    // Both images expose every scraped port.
    for (String flavour : List.of("cpu", "gpu")) {
      Matcher expose = Pattern.compile("(?m)^EXPOSE (.+)$").matcher(files.read("deploy/docker/Dockerfile." + flavour));
      assertTrue(expose.find(), "Dockerfile." + flavour + ": no EXPOSE");
      Set<String> exposed = Set.of(expose.group(1).trim().split("\\s+"));
      for (Integer port : targets.values()) {
        assertTrue(exposed.contains(String.valueOf(port)), "Dockerfile." + flavour + " does not EXPOSE " + port);
      }
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
    JsonNode gpu = podTemplate(scaledJob("worker-gpu")).path("spec");
    JsonNode cpu = deployment("worker-cpu").path("spec").path("template").path("spec");
    assertEquals(1, gpu.path("containers").get(0).path("resources").path("limits").path("nvidia.com/gpu").asInt());
    assertEquals("true", gpu.path("nodeSelector").path("nvidia.com/gpu.present").asText());
    assertEquals("nvidia.com/gpu", gpu.path("tolerations").get(0).path("key").asText());
    // Longer than one epoch (up to ~30 min at 640 px on CPU), and longer than any other pod's.
    assertTrue(gpu.path("terminationGracePeriodSeconds").asInt() > 1800);
    assertTrue(gpu.path("terminationGracePeriodSeconds").asInt() > cpu.path("terminationGracePeriodSeconds").asInt());
    // Job pods have no scalable controller: Kubernetes takes only an integer minAvailable for them, and a
    // maxUnavailable budget would block every eviction. No budget may select them.
    JsonNode gpuLabels = podTemplate(scaledJob("worker-gpu")).path("metadata").path("labels");
    for (JsonNode pdb : kinds("PodDisruptionBudget")) {
      boolean selectsGpu = true;
      for (var e : (Iterable<Map.Entry<String, JsonNode>>) () -> pdb.path("spec").path("selector").path("matchLabels").fields()) {
        selectsGpu &= e.getValue().equals(gpuLabels.path(e.getKey()));
      }
      assertFalse(selectsGpu, "PodDisruptionBudget " + pdb.path("metadata").path("name").asText() + " selects Job pods");
    }
    JsonNode pvc = kinds("PersistentVolumeClaim").get(0);
    assertEquals("ReadWriteMany", pvc.path("spec").path("accessModes").get(0).asText());
    for (JsonNode d : podTemplates(files.kubernetesBase())) {
      JsonNode volumes = d.path("spec").path("volumes");
      assertTrue(volumes.toString().contains("\"claimName\":\"" + pvc.path("metadata").path("name").asText() + "\""),
          d.path("metadata").path("labels") + " does not mount SEGFLOW_HOME");
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
        List<JsonNode> docs = kustomize(o);
        String where = files.root.relativize(o).toString();
        assertEquals(files.kubernetesBase().size(), docs.size(), o + " builds every base object");
        for (JsonNode pod : podTemplates(docs)) {
          for (JsonNode c : pod.path("spec").path("containers")) {
            String image = c.path("image").asText();
            assertTrue(image.matches(".+/segflow:.+-(cpu|gpu)"), o + ": image " + image);
          }
        }
        if (o.getFileName().toString().equals("cpu-only")) {
          // a patch whose target matches nothing is silently skipped: check what it was for
          for (JsonNode pod : podTemplates(docs)) {
            assertFalse(pod.path("spec").toString().contains("nvidia.com/gpu"),
                o + ": a pod still wants a GPU node: " + pod.path("metadata").path("labels"));
            pod.path("spec").path("containers").forEach(c -> assertTrue(c.path("image").asText().endsWith("-cpu"),
                o + ": " + pod.path("metadata").path("labels") + " runs " + c.path("image").asText()));
          }
        }
        // The rendered rules, as they reach the cluster.
        assertKedaOwnsTheReplicasItScales(docs, where);
        assertNoKedaObjectScalesInAFold(docs, where);
        assertPodSecurityRestricted(docs, where);
      }
    }
    List<JsonNode> monitoring = kustomize(files.root.resolve("deploy/kubernetes/monitoring"));
    assertEquals(Set.of("PodMonitor", "PrometheusRule"),
        Set.copyOf(monitoring.stream().map(d -> d.path("kind").asText()).toList()), "deploy/kubernetes/monitoring");
  }

  @Test
  void kedaOwnsTheReplicasOfWhatItScales() {
    assertKedaOwnsTheReplicasItScales(files.kubernetesBase(), "deploy/kubernetes/base");
  }

  @Test
  void noKedaObjectScalesInAPodRunningAFold() {
    assertNoKedaObjectScalesInAFold(files.kubernetesBase(), "deploy/kubernetes/base");
  }

  @Test
  void everyPodMeetsPodSecurityRestricted() {
    assertPodSecurityRestricted(files.kubernetesBase(), "deploy/kubernetes/base");
    JsonNode ns = kinds("Namespace").get(0);
    assertEquals("restricted", ns.path("metadata").path("labels").path("pod-security.kubernetes.io/enforce").asText(),
        "namespace " + ns.path("metadata").path("name").asText() + " enforces Pod Security restricted");
    // the images' user is the one the pods run as
    for (String flavour : List.of("cpu", "gpu")) {
      String dockerfile = files.read("deploy/docker/Dockerfile." + flavour);
      assertTrue(dockerfile.contains("--uid " + SEGFLOW_UID) && dockerfile.contains("USER " + SEGFLOW_UID), flavour);
    }
  }

  @Test
  void workersStopGracefullyBeforeTheKill() throws IOException {
    assertTrue(mainSources().contains("\"SEGFLOW_GRACEFUL_SECONDS\""), "WorkerCommand no longer reads SEGFLOW_GRACEFUL_SECONDS");
    int workers = 0;
    for (SegflowProcess p : processes.stream().filter(p -> p.subcommand().equals("worker")).toList()) {
      workers++;
      String graceful = p.env.get("SEGFLOW_GRACEFUL_SECONDS");
      assertTrue(graceful != null, p.where + " " + p.name + ": no SEGFLOW_GRACEFUL_SECONDS (the worker's default, 600 s, "
          + "knows nothing of the " + p.graceSeconds + " s before SIGKILL)");
      assertEquals(p.graceSeconds - GRACE_MARGIN_SECONDS, Integer.parseInt(graceful), p.where + " " + p.name
          + ": SEGFLOW_GRACEFUL_SECONDS must be the grace period (" + p.graceSeconds + " s) minus the "
          + GRACE_MARGIN_SECONDS + " s margin in which the hand-back reaches Temporal");
      assertTrue(Integer.parseInt(graceful) > 0, p.where + " " + p.name);
    }
    assertEquals(3 * 3, workers, "workers in compose, compose + gpu and Kubernetes");
  }

  @Test
  void theWatcherPublishesIntoTheBridgesInbox() {
    assertEquals(List.of("watch", "/data/segflow/inbox", "--bootstrap-servers", "kafka:9092", "--metrics-port", "9468"),
        texts(files.one("docker-compose.yml").path("services").path("watcher").path("command")));
    Set<String> wheres = new TreeSet<>();
    for (SegflowProcess watcher : processes.stream().filter(p -> p.subcommand().equals("watch")).toList()) {
      wheres.add(watcher.where);
      assertEquals("watcher", watcher.name, watcher.where);
      SegflowProcess bridge = processes.stream().filter(p -> p.where.equals(watcher.where) && p.subcommand().equals("bridge"))
          .findFirst().orElseThrow();
      assertEquals(bridge.mountPath, watcher.mountPath, watcher.where + ": the watcher and the bridge share the volume");
      List<String> roots = new ArrayList<>();
      for (int i = 0; i < bridge.args.size() - 1; i++) {
        if (bridge.args.get(i).equals("--inbox-root")) {
          roots.add(bridge.args.get(i + 1));
        }
      }
      if (roots.isEmpty()) { // BridgeCommand's default: SEGFLOW_HOME/inbox, as the bridge's SEGFLOW_HOME says
        roots.add(SegflowPaths.under(Path.of(bridge.env.get(SegflowPaths.HOME_VARIABLE))).inbox().toString());
      }
      Path inbox = Path.of(watcher.args.get(1)).normalize();
      assertTrue(inbox.isAbsolute(), watcher.where + ": the watcher's inbox " + inbox + " is relative");
      assertTrue(roots.stream().anyMatch(r -> inbox.startsWith(Path.of(r).normalize())), watcher.where
          + ": the watcher publishes files of " + inbox + ", outside the bridge's inbox roots " + roots
          + ": the bridge would dead-letter every event");
      assertTrue(inbox.startsWith(watcher.mountPath), watcher.where + ": the inbox is not on the shared volume");
      assertEquals("9468", watcher.option("--metrics-port"), watcher.where);
    }
    assertEquals(3, wheres.size(), "a watcher in compose, compose + gpu and Kubernetes");
    JsonNode d = deployment("watcher");
    assertEquals(1, d.path("spec").path("replicas").asInt(-1), "one watcher: its published-files state has one writer");
    assertEquals("Recreate", d.path("spec").path("strategy").path("type").asText(),
        "a rolling update would run two watchers on the same state file");
  }

  @Test
  void alertsAreRoutedToAlertmanager() {
    JsonNode services = files.one("docker-compose.yml").path("services");
    JsonNode am = services.path("alertmanager");
    assertTrue(am.path("image").asText().matches("prom/alertmanager:v\\d+\\.\\d+\\.\\d+"),
        "alertmanager image pinned: " + am.path("image").asText());
    assertTrue(texts(am.path("ports")).contains("9093:9093"));
    String config = texts(am.path("command")).stream().filter(a -> a.startsWith("--config.file=")).findFirst()
        .orElseThrow(() -> new AssertionError("alertmanager: no --config.file")).substring("--config.file=".length());
    assertTrue(texts(am.path("volumes")).contains("./deploy/alertmanager/alertmanager.yml:" + config + ":ro"),
        "alertmanager reads deploy/alertmanager/alertmanager.yml");
    JsonNode routes = files.one("deploy/alertmanager/alertmanager.yml");
    Set<String> receivers = new TreeSet<>();
    routes.path("receivers").forEach(r -> receivers.add(r.path("name").asText()));
    List<JsonNode> todo = new ArrayList<>(List.of(routes.path("route")));
    assertFalse(routes.path("route").path("receiver").asText().isEmpty(), "alertmanager.yml: no default receiver");
    while (!todo.isEmpty()) {
      JsonNode r = todo.remove(0);
      if (r.has("receiver")) {
        assertTrue(receivers.contains(r.path("receiver").asText()), "alertmanager.yml routes to missing " + r.path("receiver"));
      }
      r.path("routes").forEach(todo::add);
    }
    List<String> targets = new ArrayList<>();
    for (JsonNode a : files.one("deploy/prometheus.yml").path("alerting").path("alertmanagers")) {
      a.path("static_configs").forEach(sc -> targets.addAll(texts(sc.path("targets"))));
    }
    assertEquals(List.of("alertmanager:9093"), targets, "prometheus.yml sends alerts to the compose service alertmanager");
  }

  @Test
  void prometheusOperatorScrapesUnderTheComposeJobNamesWithTheSameRules() throws IOException {
    List<JsonNode> monitoring = new ArrayList<>();
    Set<String> manifests = new TreeSet<>();
    files.documents.forEach((path, docs) -> {
      if (path.startsWith("deploy/kubernetes/monitoring/") && !path.endsWith("/kustomization.yaml")) {
        monitoring.addAll(docs);
        manifests.add(path.substring("deploy/kubernetes/monitoring/".length()));
      }
    });
    assertEquals(manifests, new TreeSet<>(texts(files.one("deploy/kubernetes/monitoring/kustomization.yaml")
        .path("resources"))), "monitoring/kustomization.yaml resources vs monitoring/");
    Set<String> jobs = new TreeSet<>(prometheusTargets().keySet());
    assertEquals(new TreeSet<>(SEGFLOW_SERVICES), jobs, "prometheus.yml's segflow jobs");

    // The PodMonitor selects every segflow pod and names its job after the pod's app.kubernetes.io/name.
    JsonNode podMonitor = monitoring.stream().filter(d -> d.path("kind").asText().equals("PodMonitor")).findFirst()
        .orElseThrow(() -> new AssertionError("no PodMonitor"));
    Set<String> selected = new TreeSet<>();
    for (JsonNode e : podMonitor.path("spec").path("selector").path("matchExpressions")) {
      assertEquals("app.kubernetes.io/name", e.path("key").asText());
      assertEquals("In", e.path("operator").asText());
      selected.addAll(texts(e.path("values")));
    }
    assertEquals(jobs, selected, "the PodMonitor selects the segflow pods");
    JsonNode endpoint = podMonitor.path("spec").path("podMetricsEndpoints").get(0);
    assertEquals("metrics", endpoint.path("port").asText());
    assertEquals("/metrics", endpoint.path("path").asText("/metrics"));
    boolean jobRelabeled = false;
    for (JsonNode r : endpoint.path("relabelings")) {
      jobRelabeled |= r.path("targetLabel").asText().equals("job")
          && texts(r.path("sourceLabels")).equals(List.of("__meta_kubernetes_pod_label_app_kubernetes_io_name"))
          && r.path("action").asText("replace").equals("replace");
    }
    assertTrue(jobRelabeled, "the PodMonitor sets job from the app.kubernetes.io/name label");
    // ... which every pod carries as its object's name, and a container port "metrics" = the scraped port.
    for (JsonNode doc : files.kubernetesBase()) {
      JsonNode pod = podTemplate(doc);
      if (pod == null) {
        continue;
      }
      String name = doc.path("metadata").path("name").asText();
      assertEquals(name, pod.path("metadata").path("labels").path("app.kubernetes.io/name").asText(), name + "'s pods");
      boolean named = false;
      for (JsonNode port : pod.path("spec").path("containers").get(0).path("ports")) {
        if (port.path("name").asText().equals("metrics")) {
          named = true;
          assertEquals(prometheusTargets().get(name), port.path("containerPort").asInt(), name + ": port metrics");
        }
      }
      assertTrue(named, name + ": no container port named metrics for the PodMonitor");
    }
    // The job names the alert rules and dashboards use are those.
    Matcher m = Pattern.compile("job\\s*=~?\\s*\\\\?\"([^\"\\\\$]+)").matcher(files.read("deploy/prometheus/alerts.yml")
        + readDashboards());
    while (m.find()) {
      for (String job : m.group(1).split("\\|")) {
        assertTrue(jobs.contains(job) || job.equals("prometheus"), "alerts/dashboards use job " + job + ", not a scrape job");
      }
    }
    assertTrue(files.read("deploy/prometheus/alerts.yml").contains("watcher"), "SegflowProcessDown covers the watcher");

    // The PrometheusRule carries alerts.yml's groups unchanged.
    JsonNode rule = monitoring.stream().filter(d -> d.path("kind").asText().equals("PrometheusRule")).findFirst()
        .orElseThrow(() -> new AssertionError("no PrometheusRule"));
    assertEquals(files.one("deploy/prometheus/alerts.yml").path("groups"), rule.path("spec").path("groups"),
        "PrometheusRule spec.groups must equal deploy/prometheus/alerts.yml's groups");
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

  /** The uid and gid of the images' user segflow, which every pod runs as. */
  private static final int SEGFLOW_UID = 10001;

  /** Every Deployment that a ScaledObject targets sets no spec.replicas: KEDA's choice would be reset by each apply. */
  static void assertKedaOwnsTheReplicasItScales(List<JsonNode> docs, String where) {
    int targets = 0;
    for (JsonNode so : kinds(docs, "ScaledObject")) {
      JsonNode ref = so.path("spec").path("scaleTargetRef");
      String kind = ref.path("kind").asText("Deployment");
      JsonNode target = kinds(docs, kind).stream()
          .filter(d -> d.path("metadata").path("name").asText().equals(ref.path("name").asText())).findFirst()
          .orElseThrow(() -> new AssertionError(where + ": ScaledObject targets missing " + kind + " " + ref.path("name")));
      targets++;
      assertFalse(target.path("spec").has("replicas"), where + ": " + kind + " " + ref.path("name").asText()
          + " sets spec.replicas, but KEDA owns them: every kubectl apply would reset what KEDA chose");
    }
    assertTrue(targets >= 2, where + ": the cpu workers and the bridge are scaled by KEDA");
  }

  /**
   * No KEDA object can stop a pod in the middle of a fold: no ScaledObject (whose HPA scales in) targets a
   * workload whose pods serve segflow-gpu; the gpu pool runs as ScaledJob pods (KEDA never scales Jobs in)
   * that leave only after --exit-when-idle with no activity running, on a scaling strategy for a queue
   * length that excludes running activities, and whose running Jobs survive an edit of the ScaledJob.
   */
  static void assertNoKedaObjectScalesInAFold(List<JsonNode> docs, String where) {
    for (JsonNode so : kinds(docs, "ScaledObject")) {
      JsonNode ref = so.path("spec").path("scaleTargetRef");
      for (JsonNode target : kinds(docs, ref.path("kind").asText("Deployment"))) {
        if (target.path("metadata").path("name").asText().equals(ref.path("name").asText())) {
          for (List<String> args : segflowArgs(podTemplate(target))) {
            assertFalse(servesGpu(args), where + ": ScaledObject " + so.path("metadata").path("name").asText()
                + " scales " + ref.path("name").asText() + ", whose pods train folds (" + String.join(" ", args)
                + "); its HPA would stop them mid-fold");
          }
        }
      }
    }
    for (JsonNode hpa : kinds(docs, "HorizontalPodAutoscaler")) {
      String target = hpa.path("spec").path("scaleTargetRef").path("name").asText();
      for (JsonNode d : docs) {
        if (d.path("metadata").path("name").asText().equals(target) && podTemplate(d) != null) {
          segflowArgs(podTemplate(d)).forEach(a -> assertFalse(servesGpu(a), where + ": HPA scales gpu pods of " + target));
        }
      }
    }
    int gpuPools = 0;
    for (JsonNode doc : docs) {
      JsonNode pod = podTemplate(doc);
      if (pod == null) {
        continue;
      }
      for (List<String> args : segflowArgs(pod)) {
        if (!servesGpu(args)) {
          continue;
        }
        gpuPools++;
        String name = doc.path("kind").asText() + " " + doc.path("metadata").path("name").asText();
        assertEquals("ScaledJob", doc.path("kind").asText(), where + ": the gpu pool runs as " + name
            + "; only KEDA ScaledJob pods are never scaled in");
        JsonNode spec = doc.path("spec");
        Object idle = SegflowCommand.commandLine().parseArgs(args.toArray(String[]::new)).subcommand()
            .matchedOptionValue("--exit-when-idle", null);
        assertTrue(idle instanceof java.time.Duration, where + ": " + name + " runs no --exit-when-idle: its Jobs never end");
        java.time.Duration d = (java.time.Duration) idle;
        assertTrue(d.compareTo(java.time.Duration.ofSeconds(2L * spec.path("pollingInterval").asInt(30))) > 0,
            where + ": " + name + " --exit-when-idle " + d + " leaves a new pod no time to get the activity it was made for");
        assertEquals("accurate", spec.path("scalingStrategy").path("strategy").asText(), where + ": " + name
            + ": the temporal scaler's backlog excludes running activities (KEDA's \"accurate\" strategy)");
        assertEquals("gradual", spec.path("rollout").path("strategy").asText(), where + ": " + name
            + ": KEDA's default rollout deletes running Jobs (and their folds) when the ScaledJob changes");
        JsonNode job = spec.path("jobTargetRef");
        assertFalse(job.has("activeDeadlineSeconds"), where + ": " + name + ": a deadline would kill a long fold");
        assertTrue(job.has("backoffLimit"), where + ": " + name + ": no backoffLimit");
        assertTrue(Set.of("Never", "OnFailure").contains(pod.path("spec").path("restartPolicy").asText()),
            where + ": " + name + ": Job pods need restartPolicy Never or OnFailure");
      }
    }
    assertTrue(gpuPools > 0, where + ": no gpu pool");
  }

  /** Pod Security "restricted" for every pod template: the segflow user, non-root, no escalation or capabilities. */
  static void assertPodSecurityRestricted(List<JsonNode> docs, String where) {
    int pods = 0;
    for (JsonNode doc : docs) {
      JsonNode pod = podTemplate(doc);
      if (pod == null) {
        continue;
      }
      pods++;
      String name = where + ": " + doc.path("kind").asText() + " " + doc.path("metadata").path("name").asText();
      JsonNode spec = pod.path("spec");
      JsonNode sc = spec.path("securityContext");
      assertTrue(sc.path("runAsNonRoot").asBoolean(false), name + ": runAsNonRoot");
      assertEquals(SEGFLOW_UID, sc.path("runAsUser").asInt(), name + ": runAsUser");
      assertEquals(SEGFLOW_UID, sc.path("runAsGroup").asInt(), name + ": runAsGroup");
      assertEquals("RuntimeDefault", sc.path("seccompProfile").path("type").asText(), name + ": seccompProfile");
      for (String flag : List.of("hostNetwork", "hostPID", "hostIPC")) {
        assertFalse(spec.path(flag).asBoolean(false), name + ": " + flag);
      }
      spec.path("volumes").forEach(v -> assertFalse(v.has("hostPath"), name + ": hostPath volume"));
      List<JsonNode> containers = new ArrayList<>();
      spec.path("containers").forEach(containers::add);
      spec.path("initContainers").forEach(containers::add);
      for (JsonNode c : containers) {
        JsonNode csc = c.path("securityContext");
        String cname = name + " container " + c.path("name").asText();
        assertFalse(csc.path("allowPrivilegeEscalation").asBoolean(true), cname + ": allowPrivilegeEscalation false");
        assertEquals(List.of("ALL"), texts(csc.path("capabilities").path("drop")), cname + ": capabilities drop ALL");
        assertFalse(csc.has("capabilities") && csc.path("capabilities").has("add"), cname + ": adds capabilities");
        assertFalse(csc.path("privileged").asBoolean(false), cname + ": privileged");
        assertTrue(csc.path("runAsNonRoot").asBoolean(true), cname + ": runAsNonRoot overridden");
        assertEquals(SEGFLOW_UID, csc.path("runAsUser").asInt(SEGFLOW_UID), cname + ": runAsUser overridden");
        assertEquals("RuntimeDefault", csc.path("seccompProfile").path("type").asText("RuntimeDefault"), cname);
      }
    }
    assertTrue(pods >= 5, where + ": pod templates found: " + pods);
  }

  /** The pod template of a workload (Deployment, StatefulSet, DaemonSet, Job, CronJob, KEDA ScaledJob), or null. */
  static JsonNode podTemplate(JsonNode doc) {
    return switch (doc.path("kind").asText()) {
      case "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job" -> doc.path("spec").path("template");
      case "CronJob" -> doc.path("spec").path("jobTemplate").path("spec").path("template");
      case "ScaledJob" -> doc.path("spec").path("jobTargetRef").path("template");
      default -> null;
    };
  }

  static List<JsonNode> podTemplates(List<JsonNode> docs) {
    return docs.stream().map(DeployFilesTest::podTemplate).filter(p -> p != null).toList();
  }

  /** The arguments of the pod's segflow containers (image segflow). */
  private static List<List<String>> segflowArgs(JsonNode pod) {
    List<List<String>> out = new ArrayList<>();
    for (JsonNode c : pod.path("spec").path("containers")) {
      if (c.path("image").asText().matches("(.+/)?segflow:.+")) {
        out.add(texts(c.path("args")));
      }
    }
    return out;
  }

  /** Whether `segflow ARGS` serves segflow-gpu (worker --pool gpu or all; all is the default pool). */
  private static boolean servesGpu(List<String> args) {
    if (args.isEmpty() || !args.get(0).equals("worker")) {
      return false;
    }
    int i = args.indexOf("--pool");
    String pool = i < 0 ? "all" : args.get(i + 1);
    return pool.equals("gpu") || pool.equals("all");
  }

  /** {@code kubectl kustomize DIR}, parsed. */
  private static List<JsonNode> kustomize(Path dir) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("kubectl", "kustomize", dir.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, dir + ": " + out);
    Path tmp = Files.createTempFile("kustomize", ".yaml");
    try {
      Files.writeString(tmp, out);
      return DeployFiles.parse(tmp);
    } finally {
      Files.delete(tmp);
    }
  }

  private static String readDashboards() throws IOException {
    StringBuilder sb = new StringBuilder();
    try (Stream<Path> s = Files.list(files.root.resolve("dashboards"))) {
      for (Path p : s.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        sb.append(Files.readString(p));
      }
    }
    return sb.toString();
  }

  /** Compose durations: 10m, 1m30s, 45s, 2h (stop_grace_period). */
  static int composeSeconds(String duration) {
    Matcher m = Pattern.compile("(\\d+)(h|ms|m|s|us)").matcher(duration);
    long millis = 0;
    int end = 0;
    while (m.find() && m.start() == end) {
      long n = Long.parseLong(m.group(1));
      millis += switch (m.group(2)) {
        case "h" -> n * 3_600_000;
        case "m" -> n * 60_000;
        case "s" -> n * 1000;
        case "ms" -> n;
        default -> 0;
      };
      end = m.end();
    }
    assertEquals(duration.length(), end, "not a compose duration: " + duration);
    return (int) (millis / 1000);
  }

  private static boolean hasOption(String subcommand, String option) {
    return SegflowCommand.commandLine().getSubcommands().get(subcommand).getCommandSpec().findOption(option) != null;
  }

  /**
   * The process's arguments for the parse check. `segflow watch --metrics-port` is being added to WatchCommand
   * separately; until it is there, the watcher's --metrics-port (checked against prometheus.yml) is left out.
   */
  private static List<String> argsTheCommandKnows(SegflowProcess p) {
    List<String> args = new ArrayList<>(p.args);
    int i = args.indexOf("--metrics-port");
    if (p.subcommand().equals("watch") && i >= 0 && !hasOption("watch", "--metrics-port")) {
      args.subList(i, i + 2).clear();
    }
    return args;
  }

  private static JsonNode scaledJob(String name) {
    return kinds("ScaledJob").stream().filter(c -> c.path("metadata").path("name").asText().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no ScaledJob " + name));
  }

  /** The default port of the first process (MetricsPorts.ORCHESTRATOR). */
  static final class SegflowMetricsPort {
    static final Integer DEFAULT = org.segflow.cli.metrics.MetricsPorts.ORCHESTRATOR;
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
    return kinds(files.kubernetesBase(), kind);
  }

  private static List<JsonNode> kinds(List<JsonNode> docs, String kind) {
    return docs.stream().filter(d -> d.path("kind").asText().equals(kind)).toList();
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

  /** Every file under the modules' src/main/resources, concatenated (configurations that read variables). */
  private static String mainResources() throws IOException {
    StringBuilder sb = new StringBuilder();
    for (String module : List.of("proto", "workers", "orchestrator", "app")) {
      Path res = files.root.resolve(module).resolve("src/main/resources");
      if (!Files.isDirectory(res)) {
        continue;
      }
      try (Stream<Path> s = Files.walk(res)) {
        for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
          sb.append(p.getFileName()).append('\n').append(Files.readString(p, StandardCharsets.ISO_8859_1)).append('\n');
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
