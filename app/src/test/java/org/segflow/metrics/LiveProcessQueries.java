package org.segflow.metrics;

import java.util.List;

/**
 * Test helper for the app module: the dashboard panel queries that {@link PrometheusDashboardTest} leaves out
 * because only a live Temporal worker or the Kafka bridge exports their metrics, with Grafana's variables
 * replaced as that test replaces them.
 */
public final class LiveProcessQueries {

  private LiveProcessQueries() {}

  /** One panel query: {@code panel} names dashboard, panel and refId; {@code promql} is ready to evaluate. */
  public record Query(String panel, String promql) {}

  public static List<Query> all() {
    return Dashboards.queries().stream()
        .filter(q -> PrometheusDashboardTest.SKIPPED.containsKey(q.panelTitle()))
        .map(q -> new Query(q.toString(), Dashboards.substitute(q.expr())))
        .toList();
  }

  /** The prometheus binary on PATH, if installed. */
  public static java.util.Optional<java.nio.file.Path> prometheus() {
    return PrometheusDashboardTest.binary("prometheus");
  }
}
