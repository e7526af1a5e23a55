package org.segflow.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Grafana dashboard JSON: structure Grafana's schema 39 expects, and PromQL over exported names only. */
class DashboardJsonTest {

  @Test
  void everyDashboardIsWellFormed() {
    List<Path> files = Dashboards.files();
    assertEquals(List.of("inference.json", "training.json", "workers.json"),
        files.stream().map(f -> f.getFileName().toString()).toList());
    Set<String> uids = new HashSet<>();
    for (Path f : files) {
      JsonNode d = Dashboards.read(f);
      assertTrue(uids.add(d.path("uid").asText()), f + ": duplicate dashboard uid");
      assertFalse(d.path("title").asText().isBlank(), f + ": title");
      assertEquals(39, d.path("schemaVersion").asInt(), f + ": schemaVersion");
      for (JsonNode v : d.path("templating").path("list")) {
        assertEquals("prometheus", v.path("datasource").path("uid").asText(), f + ": variable " + v.path("name"));
      }
      Set<Integer> ids = new HashSet<>();
      List<JsonNode> panels = Dashboards.panels(d);
      assertFalse(panels.isEmpty(), f + ": no panels");
      for (JsonNode p : panels) {
        String where = f.getFileName() + " panel '" + p.path("title").asText() + "'";
        assertTrue(p.path("id").isInt() && ids.add(p.path("id").asInt()), where + ": id missing or duplicate");
        assertEquals("prometheus", p.path("datasource").path("uid").asText(), where + ": datasource uid");
        JsonNode g = p.path("gridPos");
        int x = g.path("x").asInt(-1);
        int w = g.path("w").asInt(-1);
        assertTrue(x >= 0 && w >= 1 && x + w <= 24, where + ": gridPos x=" + x + " w=" + w + " outside 24 columns");
        assertTrue(g.path("y").asInt(-1) >= 0 && g.path("h").asInt(0) >= 1, where + ": gridPos y/h");
        if (!"row".equals(p.path("type").asText())) {
          assertFalse(p.path("targets").isEmpty(), where + ": no targets");
        }
        Set<String> refIds = new HashSet<>();
        for (JsonNode t : p.path("targets")) {
          assertEquals("prometheus", t.path("datasource").path("uid").asText(), where + ": target datasource uid");
          assertTrue(refIds.add(t.path("refId").asText()), where + ": duplicate refId");
          assertFalse(t.path("expr").asText().isBlank(), where + ": empty expr");
        }
      }
    }
  }

  @Test
  void panelsDoNotOverlap() {
    for (Path f : Dashboards.files()) {
      boolean[][] cells = new boolean[200][24];
      for (JsonNode p : Dashboards.panels(Dashboards.read(f))) {
        JsonNode g = p.path("gridPos");
        for (int y = g.path("y").asInt(); y < g.path("y").asInt() + g.path("h").asInt(); y++) {
          for (int x = g.path("x").asInt(); x < g.path("x").asInt() + g.path("w").asInt(); x++) {
            assertFalse(cells[y][x], f.getFileName() + ": panel '" + p.path("title").asText() + "' overlaps at " + x + "," + y);
            cells[y][x] = true;
          }
        }
      }
    }
  }

  @Test
  void everyQueryReadsOnlyExportedMetrics() {
    Set<String> exported = new TreeSet<>(ExportedNames.measured());
    exported.addAll(ExportedNames.FROM_LIBRARIES.keySet());
    Set<String> used = new TreeSet<>();
    for (Dashboards.Query q : Dashboards.queries()) {
      Set<String> names = Dashboards.metricNames(Dashboards.substitute(q.expr()));
      assertFalse(names.isEmpty(), "no metric in " + q);
      for (String n : names) {
        assertTrue(exported.contains(n), "'" + n + "' is exported by no segflow process: " + q);
      }
      used.addAll(names);
    }
    for (String n : ExportedNames.FROM_LIBRARIES.keySet()) {
      assertTrue(used.contains(n), "allow-list entry no dashboard uses: " + n);
    }
    for (String n : ExportedNames.measured()) {
      if (n.startsWith("segflow_training_") && !n.endsWith("_max")) {
        assertTrue(used.contains(n) || n.equals("segflow_training_fold_state"), "training series not on a dashboard: " + n);
      }
    }
  }

  @Test
  void metricNamesIgnoreLabelsFunctionsAndGrouping() {
    assertEquals(Set.of("a_bucket"), Dashboards.metricNames(
        "histogram_quantile(0.95, sum by (le, task_queue) (rate(a_bucket{x=\"y z\",q=~\".*\"}[1m])))"));
    assertEquals(Set.of("a", "b", "c"), Dashboards.metricNames("(a{s=\"t\"} - b) * c / 2e3"));
  }
}
