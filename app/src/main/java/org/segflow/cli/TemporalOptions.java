package org.segflow.cli;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import picocli.CommandLine.Option;

/** Which Temporal cluster to talk to: the embedded `segflow server` by default, any other with --temporal. */
final class TemporalOptions {

  static final String DEFAULT_TARGET = "127.0.0.1:7233";

  @Option(names = "--temporal", defaultValue = DEFAULT_TARGET, paramLabel = "HOST:PORT",
      description = "Temporal frontend. Default: ${DEFAULT-VALUE}.")
  String target;

  @Option(names = "--namespace", defaultValue = "default", description = "Default: ${DEFAULT-VALUE}.")
  String namespace;

  WorkflowServiceStubs service() {
    return WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder().setTarget(target).build());
  }

  /** A connection whose Temporal SDK metrics (schedule-to-start latency, failures, slots) go to {@code registry}. */
  WorkflowServiceStubs service(io.micrometer.core.instrument.MeterRegistry registry) {
    com.uber.m3.tally.Scope scope = new com.uber.m3.tally.RootScopeBuilder()
        .reporter(new io.temporal.common.reporter.MicrometerClientStatsReporter(registry))
        .reportEvery(com.uber.m3.util.Duration.ofSeconds(10));
    return WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder().setTarget(target)
        .setMetricsScope(scope).build());
  }

  WorkflowClient client(WorkflowServiceStubs service) {
    return WorkflowClient.newInstance(service, WorkflowClientOptions.newBuilder().setNamespace(namespace).build());
  }
}
