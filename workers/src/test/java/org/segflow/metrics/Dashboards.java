package org.segflow.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Test helper: the repository's dashboards/ and deploy/ folders, their panels and PromQL. */
final class Dashboards {

  private Dashboards() {}

  /** One PromQL query of a panel. */
  record Query(String dashboard, int panelId, String panelTitle, String refId, String expr) {
    @Override
    public String toString() {
      return dashboard + " / " + panelTitle + " (" + refId + "): " + expr;
    }
  }

  /** Grafana variables the dashboards use, as the test evaluates them ("All" selected, 1 min rate window). */
  static final Map<String, String> VARIABLES = Map.of(
      "$__rate_interval", "1m",
      "$__range", "1h",
      "$dataset", ".*",
      "$job", ".*");

  static Path repoRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.isDirectory(p.resolve("dashboards"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException("no dashboards/ folder above " + Path.of("").toAbsolutePath());
    }
    return p;
  }

  static List<Path> files() {
    try (var s = Files.list(repoRoot().resolve("dashboards"))) {
      return s.filter(f -> f.toString().endsWith(".json")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode read(Path file) {
    try {
      return new ObjectMapper().readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("dashboard " + file + " is not valid JSON", e);
    }
  }

  /** Panels, rows' nested panels included. */
  static List<JsonNode> panels(JsonNode dashboard) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode p : dashboard.path("panels")) {
      out.add(p);
      for (JsonNode nested : p.path("panels")) {
        out.add(nested);
      }
    }
    return out;
  }

  static List<Query> queries() {
    List<Query> out = new ArrayList<>();
    for (Path f : files()) {
      JsonNode d = read(f);
      for (JsonNode p : panels(d)) {
        for (JsonNode t : p.path("targets")) {
          out.add(new Query(d.path("title").asText(), p.path("id").asInt(), p.path("title").asText(),
              t.path("refId").asText(), t.path("expr").asText()));
        }
      }
    }
    return out;
  }

  /** The query with Grafana's variables replaced; fails on a variable the test does not know. */
  static String substitute(String expr) {
    String s = expr;
    for (var e : VARIABLES.entrySet().stream().sorted((a, b) -> b.getKey().length() - a.getKey().length()).toList()) {
      s = s.replace(e.getKey(), e.getValue());
    }
    if (s.contains("$")) {
      throw new IllegalArgumentException("unknown Grafana variable in: " + expr);
    }
    return s;
  }

  private static final Set<String> PROMQL_WORDS = Set.of("sum", "max", "min", "avg", "count", "rate", "increase",
      "histogram_quantile", "changes", "by", "without", "on", "ignoring", "group_left", "group_right", "and", "or",
      "unless", "timestamp", "time", "offset", "bool", "topk", "bottomk", "abs", "clamp_min", "clamp_max",
      "irate", "delta", "deriv", "label_replace", "vector", "scalar", "inf", "nan");
  private static final Pattern IDENT = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

  /** Metric names a PromQL expression reads (label matchers, ranges, grouping clauses and strings removed). */
  static Set<String> metricNames(String expr) {
    String s = expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
        .replaceAll("\\{[^}]*}", " ")
        .replaceAll("\\[[^]]*]", " ")
        .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
    Set<String> names = new TreeSet<>();
    Matcher m = IDENT.matcher(s);
    while (m.find()) {
      String id = m.group();
      boolean numberPart = m.start() > 0 && Character.isDigit(s.charAt(m.start() - 1));
      if (!numberPart && !PROMQL_WORDS.contains(id.toLowerCase(java.util.Locale.ROOT))) {
        names.add(id);
      }
    }
    return names;
  }
}
