package org.segflow.cli.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Serves {@code GET /metrics} (the registry's scrape) on the JDK's HttpServer. Port 0 picks a free port;
 * {@link #port()} tells which. The long-running processes of the deployments (worker, bridge, watch) bind
 * {@link #DEFAULT_ADDRESS} so Prometheus in another container or pod can scrape them by its address; {@code segflow
 * dev}, a developer's stack on a laptop, binds {@link #LOOPBACK_ADDRESS} unless told otherwise; tests bind 127.0.0.1.
 */
public final class MetricsServer implements AutoCloseable {

  /** Every interface: what a container needs for Prometheus in another container to reach it. */
  public static final String DEFAULT_ADDRESS = "0.0.0.0";
  /** This machine only: the default of {@code segflow dev}. */
  public static final String LOOPBACK_ADDRESS = "127.0.0.1";
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final HttpServer server;
  private final ExecutorService executor;

  private MetricsServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /** Starts serving; fails with the address in the message when the port is taken. */
  public static MetricsServer start(PrometheusMeterRegistry registry, String address, int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("metrics port must be 0-65535, got " + port);
    }
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(address, port), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serve /metrics on " + address + ":" + port + ": " + e.getMessage(), e);
    }
    server.createContext("/metrics", exchange -> handle(exchange, registry));
    ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "segflow-metrics-http");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.start();
    return new MetricsServer(server, executor);
  }

  private static void handle(HttpExchange exchange, PrometheusMeterRegistry registry) throws IOException {
    try (exchange) {
      if (!"/metrics".equals(exchange.getRequestURI().getPath())) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
      if ("HEAD".equals(exchange.getRequestMethod())) {
        exchange.sendResponseHeaders(200, -1);
        return;
      }
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /** The bound port (the chosen one when started with port 0). */
  public int port() {
    return server.getAddress().getPort();
  }

  public String address() {
    return server.getAddress().getAddress().getHostAddress();
  }

  /** http://address:port/metrics */
  public String url() {
    return "http://" + address() + ":" + port() + "/metrics";
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
