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
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLException;
import org.segflow.InvalidInputException;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * Which Temporal cluster to talk to: the embedded `segflow server` by default, any other with
 * --temporal, over TLS (and mutual TLS, as Temporal Cloud wants) with the --tls options, with an API
 * key. Options not given come from the environment variables the Temporal CLI reads ({@link Environment}).
 */
final class TemporalOptions {

  static final String DEFAULT_TARGET = "127.0.0.1:7233";

  @Option(names = "--temporal", defaultValue = DEFAULT_TARGET, paramLabel = "HOST:PORT",
      description = "Temporal frontend (env TEMPORAL_ADDRESS). Default: ${DEFAULT-VALUE}.")
  String target;

  @Option(names = "--namespace", defaultValue = "default",
      description = "Env TEMPORAL_NAMESPACE. Default: ${DEFAULT-VALUE}.")
  String namespace;

  @Option(names = "--tls", arity = "0..1", paramLabel = "true|false",
      description = "Connect over TLS, trusting the system's certificate authorities (env TEMPORAL_TLS; "
          + "on by default with an API key or TLS files, --tls=false turns it off).")
  Boolean tls;

  @Option(names = "--tls-ca", paramLabel = "PEM",
      description = "Trust this CA certificate instead (implies --tls; env TEMPORAL_TLS_CA or "
          + "TEMPORAL_TLS_SERVER_CA_CERT_PATH).")
  Path tlsCa;

  @Option(names = "--tls-cert", paramLabel = "PEM",
      description = "Client certificate for mutual TLS (implies --tls; env TEMPORAL_TLS_CERT or "
          + "TEMPORAL_TLS_CLIENT_CERT_PATH).")
  Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "PEM",
      description = "PKCS#8 private key of --tls-cert (env TEMPORAL_TLS_KEY or TEMPORAL_TLS_CLIENT_KEY_PATH).")
  Path tlsKey;

  @Option(names = "--api-key", paramLabel = "KEY",
      description = "API key sent with every request, as Temporal Cloud accepts (implies --tls; env TEMPORAL_API_KEY).")
  String apiKey;

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
    if (apiKey != null && !apiKey.isBlank()) {
      String key = apiKey;
      b.addApiKey(() -> key);
    }
    return b;
  }

  /** Whether to connect over TLS: as asked, else whenever a key or a TLS file is given (as the Temporal CLI does). */
  boolean usesTls() {
    if (tls != null) {
      return tls;
    }
    return apiKey != null && !apiKey.isBlank() || tlsCa != null || tlsCert != null || tlsKey != null;
  }

  /** Null for plaintext; otherwise the TLS context the options describe, with files checked first. */
  SslContext sslContext() {
    if (!usesTls()) {
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

  /**
   * Defaults for the options not given, from the variables the Temporal CLI reads, so that one exported
   * environment serves both tools. Where the CLI has two names for a file, the older one wins as in the CLI.
   * Only TemporalOptions' own options are answered: other commands' --namespace or --temporal stay as they are.
   */
  static final class Environment implements CommandLine.IDefaultValueProvider {

    private static final Map<String, List<String>> VARIABLES = Map.of(
        "--temporal", List.of("TEMPORAL_ADDRESS"),
        "--namespace", List.of("TEMPORAL_NAMESPACE"),
        "--api-key", List.of("TEMPORAL_API_KEY"),
        "--tls", List.of("TEMPORAL_TLS"),
        "--tls-ca", List.of("TEMPORAL_TLS_CA", "TEMPORAL_TLS_SERVER_CA_CERT_PATH"),
        "--tls-cert", List.of("TEMPORAL_TLS_CERT", "TEMPORAL_TLS_CLIENT_CERT_PATH"),
        "--tls-key", List.of("TEMPORAL_TLS_KEY", "TEMPORAL_TLS_CLIENT_KEY_PATH"));

    private final Map<String, String> env;

    Environment(Map<String, String> env) {
      this.env = Map.copyOf(env);
    }

    @Override
    public String defaultValue(CommandLine.Model.ArgSpec arg) {
      if (!(arg instanceof CommandLine.Model.OptionSpec option) || !(arg.userObject() instanceof Field f)
          || f.getDeclaringClass() != TemporalOptions.class) {
        return null;
      }
      for (String name : VARIABLES.getOrDefault(option.longestName(), List.of())) {
        String value = env.get(name);
        if (value != null && !value.isBlank()) {
          return value;
        }
      }
      return null;
    }
  }
}
