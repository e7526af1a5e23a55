package org.segflow.cli.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The application's /metrics endpoint: the registry's scrape with the JVM meters, and nothing else. */
class MetricsServerTest {

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void servesTheScrapeOnMetricsOnly() throws Exception {
    try (SegflowMetrics metrics = SegflowMetrics.create();
         MetricsServer server = MetricsServer.start(metrics.registry(), MetricsServer.LOOPBACK_ADDRESS, 0)) {
      metrics.registry().counter("segflow_test_things").increment();
      assertEquals("http://127.0.0.1:" + server.port() + "/metrics", server.url());
      HttpResponse<String> r = get(server.url(), "GET");
      assertEquals(200, r.statusCode());
      assertEquals(MetricsServer.CONTENT_TYPE, r.headers().firstValue("Content-Type").orElse(""));
      assertTrue(r.body().contains("segflow_test_things_total 1.0"), r.body());
      assertTrue(r.body().contains("jvm_memory_used_bytes"), "the JVM meters are bound");
      assertEquals(404, get("http://127.0.0.1:" + server.port() + "/metricsx", "GET").statusCode());
      assertEquals(405, get(server.url(), "POST").statusCode());
    }
  }

  @Test
  void aTakenPortIsNamedInTheFailure() {
    try (SegflowMetrics metrics = SegflowMetrics.create();
         MetricsServer first = MetricsServer.start(metrics.registry(), MetricsServer.LOOPBACK_ADDRESS, 0)) {
      UncheckedIOException e = assertThrows(UncheckedIOException.class,
          () -> MetricsServer.start(metrics.registry(), MetricsServer.LOOPBACK_ADDRESS, first.port()));
      assertTrue(e.getMessage().contains("127.0.0.1:" + first.port()), e.getMessage());
    }
  }

  private HttpResponse<String> get(String url, String method) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).method(method, HttpRequest.BodyPublishers.noBody())
        .build(), HttpResponse.BodyHandlers.ofString());
  }
}
