package org.segflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Timestamp;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segflow.bridge.EmbeddedKafka;
import org.segflow.bridge.KafkaSettings;
import org.segflow.contract.EventTopics;
import org.segflow.contract.InferenceWorkflow;
import org.segflow.contract.Sha256;
import org.segflow.events.ImageArrived;
import org.segflow.metrics.LiveProcessQueries;
import org.segflow.pipeline.TrainedSample;
import org.segflow.predict.ModelFiles;
import org.segflow.registry.ModelRegistry;
import org.segflow.storage.SegflowPaths;

/**
 * The panels PrometheusDashboardTest cannot feed: a real Prometheus scrapes (every second) an orchestrator, a cpu
 * and a gpu worker registered as `segflow worker` registers them (Temporal SDK metrics on each process's
 * registry) and the bridge on an embedded Kafka broker, while images arrive: segmented ones, a duplicate, a
 * dead letter and files that are not images, whose check activity fails. Then the Temporal and Kafka panel
 * queries of dashboards/ must return numbers.
 */
class LiveStackPrometheusTest {

  private static final String DATASET = "7";
  private static final List<String> POOLS = List.of("orchestrator", "cpu", "gpu");

  @TempDir
  Path home;

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ObjectMapper json = new ObjectMapper();
  private final List<AutoCloseable> resources = new ArrayList<>();

  @Test
  void temporalAndKafkaPanelsReturnDataFromLiveWorkersAndBridge() throws Exception {
    Optional<Path> prometheus = LiveProcessQueries.prometheus();
    Assumptions.assumeTrue(prometheus.isPresent(), "prometheus not on PATH: install it with "
        + "`apt-get install -y --no-install-recommends prometheus` to evaluate the Temporal and Kafka panels");
    List<LiveProcessQueries.Query> queries = LiveProcessQueries.all();
    assertEquals(5, queries.size(), "the Temporal and Kafka panel queries: " + queries);

    TrainedSample.train(home, 7, 1, 2, "0");
    SegflowPaths paths = SegflowPaths.under(home);
    new ModelRegistry(paths).publish(new ModelRegistry.Publication(DATASET, "2d", "nnUNetPlans", List.of("0"),
        ModelFiles.CheckpointChoice.FINAL));
    Path inbox = Files.createDirectories(paths.inbox());
    List<Path> tests;
    try (var s = Files.list(home.resolve("raw/Dataset007_Sample/imagesTs"))) {
      tests = s.sorted().toList();
    }

    try (ServerCommand.EmbeddedServer server = ServerCommand.EmbeddedServer.start("127.0.0.1", 0);
         EmbeddedKafka kafka = EmbeddedKafka.start(home.resolve("kafka"), 0)) {
      KafkaSettings settings = KafkaSettings.of(kafka.bootstrapServers());
      settings.createTopics(1, (short) 1);
      TemporalOptions temporal = new TemporalOptions();
      temporal.target = "127.0.0.1:" + server.port();
      temporal.namespace = "default";

      // one process per pool, as `segflow worker --pool X` runs it: its own registry, /metrics and Temporal stubs
      Map<String, Integer> targets = new LinkedHashMap<>();
      for (String pool : POOLS) {
        EmbeddedStack worker = open(EmbeddedStack.builder(paths).temporal(temporal).kafka(settings)
            .metrics("127.0.0.1", 0).workers(WorkerCommand.Pool.parse(pool)).engine("cpu", 1).start());
        targets.put(pool, worker.metricsServer().orElseThrow().port());
      }
      // and the bridge's process, as `segflow bridge` runs it
      EmbeddedStack bridge = open(EmbeddedStack.builder(paths).temporal(temporal).kafka(settings)
          .metrics("127.0.0.1", 0).bridge(EmbeddedStack.BRIDGE).start());
      targets.put("bridge", bridge.metricsServer().orElseThrow().port());
      WorkflowClient client = bridge.client();

      String api = startPrometheus(prometheus.get(), targets);
      KafkaProducer<byte[], byte[]> producer = open(settings.bytesProducer());

      // First wave: the counters and histograms come into being (a series' first value is no increase).
      String good1 = arrive(producer, Files.copy(tests.get(0), inbox.resolve("a.png")));
      String bad1 = arrive(producer, Files.writeString(inbox.resolve("bad1.png"), "not a png"));
      producer.send(new ProducerRecord<>(EventTopics.IMAGES_ARRIVED, "not protobuf".getBytes(StandardCharsets.UTF_8)))
          .get();
      finished(client, good1, bad1);
      await("Temporal series scraped (the SDK reports every 10 s)", Duration.ofSeconds(30), () ->
          !query(api, "temporal_activity_execution_failed_total").isEmpty()
          && !query(api, "temporal_activity_schedule_to_start_latency_seconds_bucket").isEmpty()
          && !query(api, "segflow_events_total{outcome=\"dead_lettered\"} == 1").isEmpty());

      // Second wave: increases within the dashboards' rate window.
      String good2 = arrive(producer, Files.copy(tests.get(1), inbox.resolve("b.png")));
      String bad2 = arrive(producer, Files.writeString(inbox.resolve("bad2.png"), "not a png either"));
      arrive(producer, inbox.resolve("a.png"));
      finished(client, good2, bad2);
      await("both failed checks reported (every 10 s) and scraped", Duration.ofSeconds(30), () ->
          !query(api, "sum(temporal_activity_execution_failed_total) == 2").isEmpty());

      Map<String, JsonNode> results = new LinkedHashMap<>();
      await("every Temporal/Kafka panel query returns a number", Duration.ofSeconds(30), () -> {
        results.clear();
        queries.forEach(q -> results.put(q.panel(), query(api, q.promql())));
        return results.values().stream().allMatch(LiveStackPrometheusTest::hasNumber);
      });
      await("the bridge's 4 starts (2 images, 2 non-images) and 1 duplicate scraped", Duration.ofSeconds(5), () ->
          !query(api, "segflow_events_total{outcome=\"started\"} == 4").isEmpty()
          && !query(api, "segflow_events_total{outcome=\"duplicate\"} == 1").isEmpty());
      assertTrue(value(query(api, "sum(increase(temporal_activity_execution_failed_total[1m]))")) > 0,
          "the second wave's failed check is an increase");

      StringBuilder report = new StringBuilder("LiveStackPrometheusTest:");
      results.forEach((panel, r) -> report.append("\n  ").append(panel).append(" -> ").append(r));
      for (String job : targets.keySet()) {
        report.append(String.format("%n  series per scrape, %s: %.0f", job,
            value(query(api, "scrape_samples_scraped{job=\"" + job + "\"}"))));
      }
      System.out.println(report);
    } finally {
      for (int i = resources.size() - 1; i >= 0; i--) {
        resources.get(i).close();
      }
    }
  }

  private <T extends AutoCloseable> T open(T resource) {
    resources.add(resource);
    return resource;
  }

  /** Sends ImageArrived for {@code file} and returns the workflow id the bridge starts for it. */
  private static String arrive(KafkaProducer<byte[], byte[]> producer, Path file) throws Exception {
    String sha = Sha256.of(file);
    Instant now = Instant.now();
    ImageArrived e = ImageArrived.newBuilder().setDataset(DATASET).setImageUri(file.toUri().toString())
        .setSha256(sha).setArrivedAt(Timestamp.newBuilder().setSeconds(now.getEpochSecond())).build();
    producer.send(new ProducerRecord<>(EventTopics.IMAGES_ARRIVED, DATASET.getBytes(StandardCharsets.UTF_8),
        e.toByteArray())).get();
    return InferenceWorkflow.workflowId("Dataset007_Sample", sha);
  }

  /** Waits for the segmented image's workflow to complete and the non-image's to fail on its check. */
  private static void finished(WorkflowClient client, String good, String bad) throws Exception {
    await("workflow " + good, Duration.ofSeconds(30), () -> exists(client, good));
    client.newUntypedWorkflowStub(good).getResult(30, TimeUnit.SECONDS, Object.class);
    await("workflow " + bad, Duration.ofSeconds(30), () -> exists(client, bad));
    assertThrows(WorkflowFailedException.class,
        () -> client.newUntypedWorkflowStub(bad).getResult(30, TimeUnit.SECONDS, Object.class));
  }

  private static boolean exists(WorkflowClient client, String workflowId) {
    try {
      client.newUntypedWorkflowStub(workflowId).describe();
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private String startPrometheus(Path binary, Map<String, Integer> targets) throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    List<String> yml = new ArrayList<>(List.of("global:", "  scrape_interval: 1s", "  evaluation_interval: 1s",
        "scrape_configs:"));
    targets.forEach((job, p) -> yml.addAll(List.of("  - job_name: " + job, "    static_configs:",
        "      - targets: [\"127.0.0.1:" + p + "\"]")));
    Path config = Files.write(home.resolve("prometheus.yml"), yml);
    Path log = home.resolve("prometheus.log");
    Process p = new ProcessBuilder(binary.toString(), "--config.file=" + config,
        "--storage.tsdb.path=" + home.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + port, "--log.level=warn")
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    resources.add(() -> {
      p.destroy();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    });
    String api = "http://127.0.0.1:" + port;
    await("Prometheus ready on " + api + " (log: " + log + ")", Duration.ofSeconds(30),
        () -> !query(api, "up == 1").isEmpty() && query(api, "up == 1").size() == targets.size());
    return api;
  }

  /** A non-empty result whose samples are numbers (an empty histogram's quantile would be NaN). */
  private static boolean hasNumber(JsonNode result) {
    if (result.isEmpty()) {
      return false;
    }
    for (JsonNode r : result) {
      if (Double.isNaN(Double.parseDouble(r.path("value").get(1).asText()))) {
        return false;
      }
    }
    return true;
  }

  /** The result array of an instant query; empty while Prometheus is not up yet; fails on a rejected query. */
  private JsonNode query(String api, String promql) {
    HttpResponse<String> r;
    try {
      r = http.send(HttpRequest.newBuilder(URI.create(api + "/api/v1/query?query="
          + URLEncoder.encode(promql, StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      return json.createArrayNode();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    if (r.statusCode() == 503) {
      return json.createArrayNode(); // still starting: its answer is plain text, not JSON
    }
    try {
      JsonNode body = json.readTree(r.body());
      if (r.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
        throw new AssertionError("Prometheus rejected `" + promql + "`: " + r.body());
      }
      return body.path("data").path("result");
    } catch (IOException e) {
      throw new IllegalStateException("unreadable answer to `" + promql + "`: " + r.body(), e);
    }
  }

  private static double value(JsonNode result) {
    assertEquals(1, result.size(), result.toString());
    return Double.parseDouble(result.get(0).path("value").get(1).asText());
  }

  /** Polls every 200 ms (Prometheus scrapes every second) until {@code condition} holds or time is up. */
  private static void await(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      }
      LockSupport.parkNanos(200_000_000L);
    }
  }
}
