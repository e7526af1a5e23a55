package org.segflow.cli;

import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.common.reporter.MicrometerClientStatsReporter;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLException;
import org.segflow.InvalidInputException;
import picocli.CommandLine.Option;

/**
 * Which Temporal cluster to talk to: the embedded `segflow server` by default, any other with
 * --temporal, over TLS (and mutual TLS, as Temporal Cloud wants) with the --tls options.
 */
final class TemporalOptions {

  static final String DEFAULT_TARGET = "127.0.0.1:7233";

  @Option(names = "--temporal", defaultValue = DEFAULT_TARGET, paramLabel = "HOST:PORT",
      description = "Temporal frontend. Default: ${DEFAULT-VALUE}.")
  String target;

  @Option(names = "--namespace", defaultValue = "default", description = "Default: ${DEFAULT-VALUE}.")
  String namespace;

  @Option(names = "--tls", description = "Connect over TLS, trusting the system's certificate authorities.")
  boolean tls;

  @Option(names = "--tls-ca", paramLabel = "PEM", description = "Trust this CA certificate instead (implies --tls).")
  Path tlsCa;

  @Option(names = "--tls-cert", paramLabel = "PEM", description = "Client certificate for mutual TLS (implies --tls).")
  Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "PEM", description = "PKCS#8 private key of --tls-cert.")
  Path tlsKey;

  /** The embedded test server on this machine's loopback ({@code segflow dev}, {@code segflow demo}). */
  static TemporalOptions loopback(int port) {
    TemporalOptions o = new TemporalOptions();
    o.target = "127.0.0.1:" + port;
    o.namespace = "default";
    return o;
  }

  WorkflowServiceStubs service() {
    return WorkflowServiceStubs.newServiceStubs(stubOptions().build());
  }

  /** A connection whose Temporal SDK metrics (schedule-to-start latency, failures, slots) go to {@code registry}. */
  WorkflowServiceStubs service(MeterRegistry registry) {
    com.uber.m3.tally.Scope scope = new com.uber.m3.tally.RootScopeBuilder()
        .reporter(new MicrometerClientStatsReporter(registry))
        .reportEvery(com.uber.m3.util.Duration.ofSeconds(10));
    return WorkflowServiceStubs.newServiceStubs(stubOptions().setMetricsScope(scope).build());
  }

  WorkflowClient client(WorkflowServiceStubs service) {
    return WorkflowClient.newInstance(service, WorkflowClientOptions.newBuilder().setNamespace(namespace).build());
  }

  WorkflowServiceStubsOptions.Builder stubOptions() {
    WorkflowServiceStubsOptions.Builder b = WorkflowServiceStubsOptions.newBuilder().setTarget(target);
    SslContext ssl = sslContext();
    if (ssl != null) {
      b.setSslContext(ssl);
    }
    return b;
  }

  /** Null for plaintext; otherwise the TLS context the options describe, with files checked first. */
  SslContext sslContext() {
    if (!tls && tlsCa == null && tlsCert == null && tlsKey == null) {
      return null;
    }
    if ((tlsCert == null) != (tlsKey == null)) {
      throw new InvalidInputException("--tls-cert and --tls-key go together (mutual TLS needs both)");
    }
    SslContextBuilder b = GrpcSslContexts.forClient();
    try {
      if (tlsCa != null) {
        b.trustManager(readable(tlsCa, "--tls-ca").toFile());
      }
      if (tlsCert != null) {
        b.keyManager(readable(tlsCert, "--tls-cert").toFile(), readable(tlsKey, "--tls-key").toFile());
      }
      return b.build();
    } catch (SSLException | IllegalArgumentException e) {
      throw new InvalidInputException(tlsCert != null ? tlsCert : tlsCa,
          "not a usable PEM certificate or PKCS#8 key: " + e.getMessage(), e);
    }
  }

  private static Path readable(Path p, String option) {
    if (!Files.isReadable(p)) {
      throw new InvalidInputException(p, option + ": file not found or not readable");
    }
    return p;
  }
}
