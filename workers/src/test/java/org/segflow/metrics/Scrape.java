package org.segflow.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Test helper: the samples of a Prometheus text scrape, by series ("name{a=\"x\",b=\"y\"}") in sorted label order. */
record Scrape(Map<String, Double> samples) {

  private static final Pattern LINE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? (\\S+)$");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  static Scrape parse(String text) {
    Map<String, Double> samples = new TreeMap<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      Matcher m = LINE.matcher(line);
      if (!m.matches()) {
        throw new IllegalArgumentException("not a sample line: " + line);
      }
      Map<String, String> labels = new TreeMap<>();
      if (m.group(3) != null) {
        Matcher l = LABEL.matcher(m.group(3));
        while (l.find()) {
          labels.put(l.group(1), l.group(2));
        }
      }
      samples.put(key(m.group(1), labels), Double.parseDouble(m.group(4)));
    }
    return new Scrape(samples);
  }

  static String key(String name, Map<String, String> labels) {
    if (labels.isEmpty()) {
      return name;
    }
    List<String> parts = new ArrayList<>();
    new TreeMap<>(labels).forEach((k, v) -> parts.add(k + "=\"" + v + "\""));
    return name + "{" + String.join(",", parts) + "}";
  }

  /** Metric names present (sample names, e.g. x_bucket, x_count). */
  TreeSet<String> names() {
    TreeSet<String> names = new TreeSet<>();
    samples.keySet().forEach(k -> names.add(k.contains("{") ? k.substring(0, k.indexOf('{')) : k));
    return names;
  }

  /** Series whose name is {@code name}, as key -> value. */
  Map<String, Double> series(String name) {
    Map<String, Double> out = new TreeMap<>();
    samples.forEach((k, v) -> {
      if (k.equals(name) || k.startsWith(name + "{")) {
        out.put(k, v);
      }
    });
    return out;
  }
}
