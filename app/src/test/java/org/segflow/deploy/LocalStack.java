package org.segflow.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * One machine standing in for a container host or a cluster: every segflow process of a deployment file
 * runs here as its own OS process ({@code java -jar segflow.jar ARGS}, as the image's entrypoint runs it),
 * with the environment its container gets, and only these translations, each what Docker or the kubelet
 * does for a container:
 * <ul>
 *   <li>the volume: paths under the container's mount ({@code /data/segflow}) point into {@link #home};</li>
 *   <li>the network: service host names (temporal, kafka, a cluster's service DNS names) resolve to
 *       127.0.0.1 through a hosts file ({@code -Djdk.net.hosts.file}), and each endpoint's port and each
 *       {@code --metrics-port} become a free loopback port, since all processes share one loopback;</li>
 *   <li>the restart policy: a process that dies (kill -9, an exit of its own) is started again, as
 *       compose's {@code restart: unless-stopped} and a Deployment do; {@link #stop} (SIGTERM, like
 *       {@code docker stop}) is not restarted.</li>
 * </ul>
 * The Temporal and Kafka services are third-party images; {@code segflow server} (the Temporal Java test
 * server) and {@code segflow kafka} (a KRaft broker) stand in for them, each in its own process too, unless
 * the stack is given an external address for one (the real image run elsewhere, e.g. as a container):
 * then the deployment files' endpoint for it is translated to that address.
 */
final class LocalStack implements AutoCloseable {

  /** Where the container images mount the shared SEGFLOW_HOME. */
  static final String VOLUME = "/data/segflow";

  /** What a third-party endpoint of the deployment files is, here. */
  enum StandIn { TEMPORAL, KAFKA }

  private static final Map<String, Pattern> READY = Map.of(
      "server", Pattern.compile("Temporal test server listening on"),
      "kafka", Pattern.compile("segflow kafka on "),
      "worker", Pattern.compile("segflow worker \\("),
      "bridge", Pattern.compile("segflow bridge: "),
      "watch", Pattern.compile("segflow watch "));

  /**
   * JVM flags of this machine's processes only, never a deployment file's: the client compiler alone
   * (C1). A stack starts seven to nine JVMs at once on a 2-core test machine, and every restart starts
   * one more; most of their start-up CPU is the C2 compiler's, for code that runs a few seconds here.
   * It changes how fast the JVM compiles, not what any process does, reads or answers.
   */
  static final List<String> TEST_JVM_FLAGS = List.of("-XX:TieredStopAtLevel=1");

  final Path home;
  private final Path dir;
  private final Path logs;
  private final Path hostsFile;
  private final Path jar;
  private final Map<String, StandIn> endpoints;
  /** Third-party services that run elsewhere: host:port, as this machine reaches them. */
  private final Map<StandIn, String> external;
  private final Map<StandIn, Integer> standInPorts = new LinkedHashMap<>();
  private final Map<String, Running> running = new LinkedHashMap<>();
  private final Thread supervisor;
  private volatile boolean closing;

  /** A process of the stack: its spec, command line, current OS process and how often it started. */
  final class Running {
    final String name;
    final List<String> commandLine;
    final Map<String, String> env;
    final Integer metricsPort;
    final Path log;
    private final boolean restartable;
    volatile Process process;
    volatile boolean stopped;
    volatile int starts;

    private Running(String name, List<String> commandLine, Map<String, String> env, Integer metricsPort,
        boolean restartable) {
      this.name = name;
      this.commandLine = commandLine;
      this.env = env;
      this.metricsPort = metricsPort;
      this.log = logs.resolve(name + ".log");
      this.restartable = restartable;
    }

    private synchronized void launch() {
      try {
        ProcessBuilder pb = new ProcessBuilder(commandLine).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().clear();
        pb.environment().putAll(env);
        Files.writeString(log, "=== start " + (starts + 1) + ": " + String.join(" ", commandLine) + "\n",
            StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        process = pb.start();
        starts++;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    String log() {
      try {
        return Files.exists(log) ? Files.readString(log) : "";
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** The log since its last start. */
    String currentLog() {
      String all = log();
      int at = all.lastIndexOf("=== start ");
      return at < 0 ? all : all.substring(at);
    }

    /** Blocks until the process's current start printed its ready line (bounded). */
    Running awaitReady(Duration timeout) {
      Pattern ready = READY.get(commandLine.get(commandLine.indexOf("-jar") + 2));
      await(timeout, () -> ready == null || ready.matcher(currentLog()).find(),
          () -> name + " did not get ready:\n" + tail(currentLog()));
      return this;
    }
  }

  /**
   * @param dir       the test's folder: home/ (the shared volume), logs/, the stand-ins' data
   * @param endpoints third-party endpoints as the deployment files name them ("temporal:7233") and what
   *                  stands in for each
   */
  LocalStack(Path dir, Map<String, StandIn> endpoints) throws IOException {
    this(dir, endpoints, Map.of());
  }

  /**
   * @param external third-party services not stood in for but running elsewhere, each as host:port
   *                 reachable from this machine (a container's published port); {@link #startStandIns}
   *                 skips them and the endpoints they serve are translated to these addresses
   */
  LocalStack(Path dir, Map<String, StandIn> endpoints, Map<StandIn, String> external) throws IOException {
    this.dir = dir;
    this.home = Files.createDirectories(dir.resolve("home"));
    this.logs = Files.createDirectories(dir.resolve("logs"));
    this.endpoints = Map.copyOf(endpoints);
    this.external = Map.copyOf(external);
    this.jar = jar();
    for (StandIn s : StandIn.values()) {
      if (!external.containsKey(s)) {
        standInPorts.put(s, freePort());
      }
    }
    List<String> names = new ArrayList<>(List.of("localhost", InetAddress.getLocalHost().getHostName()));
    endpoints.keySet().forEach(e -> names.add(host(e)));
    StringBuilder hosts = new StringBuilder("127.0.0.1 " + String.join(" ", names) + "\n");
    for (String address : external.values()) {
      // the processes resolve names only through the hosts file: an external host (a remote Docker
      // host, say) is resolved here, as this JVM resolves it
      String host = host(address);
      if (!names.contains(host)) {
        hosts.append(InetAddress.getByName(host).getHostAddress()).append(' ').append(host).append('\n');
      }
    }
    hostsFile = dir.resolve("hosts");
    Files.writeString(hostsFile, hosts.toString());
    supervisor = new Thread(this::supervise, "local-stack-restart-policy");
    supervisor.setDaemon(true);
    supervisor.start();
  }

  /** The segflow jar the build packaged (failsafe runs after `package`). */
  static Path jar() {
    Path jar = Path.of(System.getProperty("segflow.jar", "target/segflow.jar")).toAbsolutePath();
    if (!Files.isRegularFile(jar)) {
      throw new AssertionError(jar + " is missing: these tests run after `package` (./mvnw verify)");
    }
    return jar;
  }

  /**
   * 127.0.0.1:PORT of a stand-in, or the external address given for it, for clients on this machine (the
   * host side of a published port).
   */
  String address(StandIn s) {
    String e = external.get(s);
    return e != null ? e : "127.0.0.1:" + standInPorts.get(s);
  }

  /**
   * Starts `segflow server` for the temporal service and `segflow kafka` for the kafka service, except
   * those given an external address.
   */
  void startStandIns() {
    if (!external.containsKey(StandIn.TEMPORAL)) {
      startStandIn("temporal", List.of("server", "--port", "" + standInPorts.get(StandIn.TEMPORAL)), dir);
    }
    if (!external.containsKey(StandIn.KAFKA)) {
      startStandIn("kafka", List.of("kafka", "--port", "" + standInPorts.get(StandIn.KAFKA)), dir.resolve("kafka-volume"));
    }
    if (!external.containsKey(StandIn.TEMPORAL)) {
      running.get("temporal").awaitReady(Duration.ofMinutes(1));
    }
    if (!external.containsKey(StandIn.KAFKA)) {
      running.get("kafka").awaitReady(Duration.ofMinutes(2));
    }
  }

  private void startStandIn(String name, List<String> args, Path volume) {
    Map<String, String> env = baseEnvironment();
    env.put("SEGFLOW_HOME", volume.toString());
    List<String> cmd = new ArrayList<>(List.of(java(), "-Xmx768m"));
    cmd.addAll(TEST_JVM_FLAGS);
    cmd.addAll(List.of("-jar", jar.toString()));
    cmd.addAll(args);
    launch(new Running(name, cmd, env, null, true));
  }

  /** Starts a deployment file's process as {@code name} (a replica gets its own name). */
  Running start(String name, ServiceSpec spec, String heap) {
    Map<String, String> env = baseEnvironment();
    spec.env().forEach((k, v) -> env.put(k, translate(v)));
    env.put("ENGINE_CACHE_DIR", engineCache());
    List<String> args = new ArrayList<>();
    Integer metricsPort = null;
    for (int i = 0; i < spec.args().size(); i++) {
      String a = spec.args().get(i);
      if (i > 0 && spec.args().get(i - 1).equals("--metrics-port") && !a.startsWith("-")) {
        metricsPort = freePort();
        args.add("" + metricsPort);
      } else {
        args.add(translate(a));
      }
    }
    // the entrypoint: java ${SEGFLOW_JAVA_OPTS:--XX:MaxRAMPercentage=60} -jar segflow.jar "$@"; the heap is
    // bounded here as a container's memory limit would bound it
    List<String> cmd = new ArrayList<>(List.of(java()));
    cmd.addAll(Arrays.asList(env.getOrDefault("SEGFLOW_JAVA_OPTS", "-XX:MaxRAMPercentage=60").trim().split("\\s+")));
    cmd.add("-Xmx" + heap);
    cmd.addAll(TEST_JVM_FLAGS);
    cmd.addAll(List.of("-Djdk.net.hosts.file=" + hostsFile, "-jar", jar.toString()));
    cmd.addAll(args);
    if (running.containsKey(name)) {
      throw new IllegalStateException(name + " already runs");
    }
    return launch(new Running(name, cmd, env, metricsPort, true));
  }

  private Running launch(Running r) {
    synchronized (running) {
      running.put(r.name, r);
      r.launch();
    }
    return r;
  }

  Running get(String name) {
    Running r = running.get(name);
    if (r == null) {
      throw new AssertionError("no process " + name + " in the stack: " + running.keySet());
    }
    return r;
  }

  List<Running> processes() {
    synchronized (running) {
      return List.copyOf(running.values());
    }
  }

  /** kill -9: no shutdown hook runs; the restart policy starts it again. Returns the killed process. */
  Process kill(String name) throws InterruptedException {
    Running r = get(name);
    Process p = r.process;
    p.destroyForcibly();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      throw new AssertionError(name + " survived SIGKILL");
    }
    return p;
  }

  /** SIGTERM, like docker stop: the process shuts down gracefully and is not restarted. */
  Process stop(String name) {
    Running r = get(name);
    r.stopped = true;
    r.process.destroy();
    return r.process;
  }

  /** A segflow command started on the host; {@link #await} waits for its end. */
  final class Cli {
    final List<String> args;
    final Process process;
    final Path output;

    private Cli(List<String> args, Process process, Path output) {
      this.args = args;
      this.process = process;
      this.output = output;
    }

    /** Its output once it has exited 0 within {@code timeout}; fails with every log otherwise. */
    String await(Duration timeout) throws IOException, InterruptedException {
      String cmd = "segflow " + String.join(" ", args);
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(cmd + " did not end within " + timeout + ":\n" + tail(Files.readString(output))
            + "\n" + diagnostics());
      }
      String text = Files.readString(output);
      if (process.exitValue() != 0) {
        throw new AssertionError(cmd + " exited " + process.exitValue() + ":\n" + text + "\n" + diagnostics());
      }
      return text;
    }
  }

  /** Starts a segflow command as a user on the host would (SEGFLOW_HOME = {@link #home}). */
  Cli cliStart(String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(java(), "-Xmx1g"));
    cmd.addAll(TEST_JVM_FLAGS);
    cmd.addAll(List.of("-jar", jar.toString()));
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile(logs, "cli-" + args[0] + "-", ".log");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
    pb.environment().put("SEGFLOW_HOME", home.toString());
    pb.environment().put("ENGINE_CACHE_DIR", engineCache());
    return new Cli(List.of(args), pb.start(), out);
  }

  /** Runs a segflow command on the host to its end; returns its output. */
  String cli(Duration timeout, String... args) throws IOException, InterruptedException {
    return cliStart(args).await(timeout);
  }

  /** GET /metrics of a process (its translated --metrics-port). */
  String metrics(String name) throws IOException, InterruptedException {
    Running r = get(name);
    if (r.metricsPort == null) {
      throw new AssertionError(name + " has no --metrics-port in its deployment file");
    }
    HttpResponse<String> res = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + r.metricsPort + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (res.statusCode() != 200) {
      throw new AssertionError(name + " /metrics answered " + res.statusCode());
    }
    return res.body();
  }

  /** The tail of every process's log, for a failure message. */
  String diagnostics() {
    StringBuilder b = new StringBuilder();
    for (Running r : processes()) {
      b.append("\n----- ").append(r.name).append(" (started ").append(r.starts).append("x, ")
          .append(r.process.isAlive() ? "alive" : "exited " + r.process.exitValue()).append(")\n")
          .append(tail(r.log()));
    }
    return b.toString();
  }

  /** Waits (bounded) until {@code condition} holds, polling. */
  static void await(Duration timeout, BooleanSupplier condition, Supplier<String> failure) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("after " + timeout + ": " + failure.get());
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
  }

  static String tail(String log) {
    List<String> lines = log.lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }

  @Override
  public void close() throws InterruptedException {
    closing = true;
    supervisor.interrupt();
    List<Running> all = processes();
    for (Running r : all) {
      r.process.destroyForcibly();
    }
    for (Running r : all) {
      r.process.waitFor(30, TimeUnit.SECONDS);
    }
  }

  /** The restart policy: a process that exited without {@link #stop} starts again after a second. */
  private void supervise() {
    while (!closing) {
      for (Running r : processes()) {
        if (r.restartable && !r.stopped && !r.process.isAlive() && !closing) {
          try {
            Thread.sleep(1000); // compose backs off too; keeps a crash loop from eating the cores
          } catch (InterruptedException e) {
            return;
          }
          if (!closing) {
            r.launch();
          }
        }
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** A deployment file's value on this machine: the volume's paths and the endpoints' ports translated. */
  String translate(String value) {
    if (value.startsWith(VOLUME)) {
      return home + value.substring(VOLUME.length());
    }
    List<String> parts = new ArrayList<>();
    for (String part : value.split(",", -1)) {
      StandIn s = endpoints.get(part);
      parts.add(s == null ? part : external.containsKey(s) ? external.get(s) : host(part) + ":" + standInPorts.get(s));
    }
    return String.join(",", parts);
  }

  private Map<String, String> baseEnvironment() {
    // a container starts from its image's environment, not the host's: only what a JVM needs to run
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    env.put("HOME", dir.toString());
    return env;
  }

  private static String engineCache() {
    return System.getProperty("ENGINE_CACHE_DIR", System.getenv().getOrDefault("ENGINE_CACHE_DIR",
        Path.of("target/djl-engine").toAbsolutePath().toString()));
  }

  private static String host(String endpoint) {
    return endpoint.substring(0, endpoint.lastIndexOf(':'));
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
