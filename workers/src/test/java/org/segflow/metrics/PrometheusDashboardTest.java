package org.segflow.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
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
import java.util.ArrayList;
import java.util.List;
import org.segflow.contract.TrustScores;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segflow.pipeline.SampleDatasets;
import org.segflow.predict.ModelFiles;
import org.segflow.predict.PredictionListener;
import org.segflow.predict.PredictionJob;
import org.segflow.predict.PredictionOptions;
import org.segflow.storage.SegflowPaths;
import org.segflow.train.FoldTrainingJob;
import org.segflow.train.TrainingSettings;

/**
 * A real Prometheus (Debian's package) scrapes a registry like every segflow process's ({@link ScrapeEndpoint})
 * while a fold trains (64 px, 2 epochs) and its model segments the test images; then every panel query of every dashboard is evaluated
 * through the Prometheus HTTP API and must return data, except the panels listed in {@link #SKIPPED}.
 */
class PrometheusDashboardTest {

  private static final String DATASET = "Dataset031_Sample";
  private static final String JOB = "segflow-test";

  /** Panels whose metrics come from a process this test does not run, with the reason. */
  static final Map<String, String> SKIPPED = new TreeMap<>(Map.of(
      "Consumer lag", "Kafka client metrics: needs the bridge's KafkaConsumer (no broker in this test)",
      "Activity schedule-to-start p95", "Temporal SDK metrics: needs a Temporal worker polling a task queue",
      "Workflow task schedule-to-start p95", "Temporal SDK metrics: needs a Temporal worker polling a task queue",
      "Activity failures", "Temporal SDK metrics: needs a failed activity on a Temporal worker",
      "Free activity slots", "Temporal SDK metrics: needs a Temporal activity worker"));

  @TempDir
  Path tmp;

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ObjectMapper json = new ObjectMapper();

  static Optional<Path> binary(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      Path p = Path.of(dir, name);
      if (Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  @Test
  void everyDashboardQueryReturnsDataFromALiveTrainingAndInference() throws Exception {
    Optional<Path> prometheus = binary("prometheus");
    Assumptions.assumeTrue(prometheus.isPresent(), "prometheus not on PATH: install it with "
        + "`apt-get install -y --no-install-recommends prometheus` to run the dashboard queries against it");
    try (ScrapeEndpoint metrics = new ScrapeEndpoint()) {
      int target = metrics.serve();
      int port = freePort();
      Path config = tmp.resolve("prometheus.yml");
      Files.writeString(config, String.join("\n",
          "global:", "  scrape_interval: 1s", "  evaluation_interval: 1s",
          "scrape_configs:", "  - job_name: " + JOB, "    static_configs:",
          "      - targets: [\"127.0.0.1:" + target + "\"]", ""));
      Process p = new ProcessBuilder(prometheus.get().toString(), "--config.file=" + config,
          "--storage.tsdb.path=" + tmp.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + port,
          "--log.level=warn")
          .redirectErrorStream(true).redirectOutput(tmp.resolve("prometheus.log").toFile()).start();
      try {
        String api = "http://127.0.0.1:" + port;
        await("Prometheus ready on " + api + " (log: " + tmp.resolve("prometheus.log") + ")", Duration.ofSeconds(30),
            () -> status(api + "/-/ready") == 200);

        // Zero baselines first, so increase()/rate() see every later event.
        InferenceMetrics inference = new InferenceMetrics(metrics.registry());
        inference.register(DATASET);
        inference.registerTrust(DATASET, "v1");
        EventMetrics events = new EventMetrics(metrics.registry(), List.of("segflow.images.arrived"));
        await("first scrape", Duration.ofSeconds(30), () -> !query(api, "segflow_events_total").isEmpty());

        Path home = tmp.resolve("home");
        SampleDatasets.prepare(home, 31, 10, 64);
        TrainingMetricsListener training = new TrainingMetricsListener(metrics.registry());
        TrainingSettings s = TrainingSettings.schedule(2, 3, 2).withSeed(131);
        new FoldTrainingJob(SegflowPaths.under(home)).run(new FoldTrainingJob.Request("31", "2d", "0",
            "nnUNetPlans", s, "cpu", 2), List.of(training));

        Path out = Files.createDirectories(tmp.resolve("predictions"));
        Path imagesTs = home.resolve("raw").resolve(DATASET).resolve("imagesTs");
        long predicting = System.nanoTime();
        PredictionJob.Result r = new PredictionJob(SegflowPaths.under(home)).run(new PredictionJob.Request(
            imagesTs, out, "31", "2d", "nnUNetPlans", List.of("0"), ModelFiles.CheckpointChoice.FINAL,
            PredictionOptions.defaults().withTta(false), true, "cpu", 2), PredictionListener.NONE);
        assertEquals(2, r.report().written().size(), r.report().toString());
        // each segmented image counted as InferenceActivitiesImpl counts it in production
        double perImage = (System.nanoTime() - predicting) / 1e9 / r.report().written().size();
        r.report().written().forEach(c -> inference.record(DATASET, InferenceMetrics.Outcome.OK, perImage));
        // events with reference labels score their segmentations (ArrivalActivitiesImpl does this in production)
        inference.recordDice(DATASET, 0.82);
        inference.recordDice(DATASET, 0.55);
        // and score them against the version's trust profile (InferenceActivitiesImpl computes the scores)
        inference.recordTrust(DATASET, "v1", new TrustScores(1.1, 3.0, "c0.p50", 0.95, 0.9, 0.5, 3.0, List.of()));
        inference.recordTrust(DATASET, "v1", new TrustScores(6.5, 3.0, "log_height", 0.7, 0.9, 4.0, 3.0,
            List.of(TrustScores.OUT_OF_DISTRIBUTION, TrustScores.LOW_CONFIDENCE)));
        // No bridge runs here: its counters are fed as the bridge would (two starts, a duplicate, a dead letter).
        events.started("segflow.images.arrived");
        events.started("segflow.images.arrived");
        events.duplicate("segflow.images.arrived");
        events.deadLettered("segflow.images.arrived");

        await("final state scraped", Duration.ofSeconds(30), () ->
            !query(api, "segflow_events_total{outcome=\"dead_lettered\"} == 1").isEmpty()
            && !query(api, "segflow_inference_images_total{outcome=\"ok\"} == 2").isEmpty()
            && !query(api, "segflow_inference_dice_count == 2").isEmpty()
            && !query(api, "segflow_inference_trust_images_total{verdict=\"flagged\"} == 1").isEmpty()
            && !query(api, "segflow_training_fold_state{state=\"done\"} == 1").isEmpty());

        assertEquals(2.0, value(query(api, "segflow_training_epoch{dataset=\"" + DATASET + "\",fold=\"0\"}")));
        assertEquals(6.0, value(query(api, "segflow_training_iterations_total")));

        List<String> empty = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        int evaluated = 0;
        for (Dashboards.Query q : Dashboards.queries()) {
          if (SKIPPED.containsKey(q.panelTitle())) {
            assertTrue(Dashboards.metricNames(q.expr()).stream()
                    .allMatch(n -> n.startsWith("temporal_") || n.startsWith("kafka_")),
                "only Temporal/Kafka queries may be skipped: " + q);
            skipped.add(q.panelTitle() + ": " + SKIPPED.get(q.panelTitle()));
            continue;
          }
          evaluated++;
          if (query(api, Dashboards.substitute(q.expr())).isEmpty()) {
            empty.add(q.toString());
          }
        }
        assertEquals(List.of(), empty, "dashboard queries without data");
        assertTrue(evaluated >= 25, "evaluated " + evaluated);
        JsonNode series = query(api, "scrape_series_added{job=\"" + JOB + "\"}");
        System.out.printf("PrometheusDashboardTest: %d queries returned data, %d skipped %s; %s%n", evaluated,
            skipped.size(), skipped, "series in one scrape: " + value(query(api, "scrape_samples_scraped{job=\"" + JOB + "\"}"))
                + " (added " + value(series) + ")");
      } finally {
        p.destroy();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private int status(String url) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The result array of an instant query; fails on a query Prometheus rejects. */
  private JsonNode query(String api, String promql) {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(api + "/api/v1/query?query="
          + URLEncoder.encode(promql, StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
      JsonNode body = json.readTree(r.body());
      if (r.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
        throw new AssertionError("Prometheus rejected `" + promql + "`: " + r.body());
      }
      return body.path("data").path("result");
    } catch (IOException e) {
      throw new IllegalStateException("query failed: " + promql, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static double value(JsonNode result) {
    assertEquals(1, result.size(), result.toString());
    return Double.parseDouble(result.get(0).path("value").get(1).asText());
  }

  /** Polls {@code condition} every 200 ms (Prometheus scrapes every second) until it holds or time is up. */
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
