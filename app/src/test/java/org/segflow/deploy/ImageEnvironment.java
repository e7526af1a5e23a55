package org.segflow.deploy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The environment a segflow image gives every container: the ENV lines of its Dockerfile's last stage
 * ({@code KEY=value} pairs, continued lines joined), so a test process runs with what the container
 * would have (GLIBC_TUNABLES, OMP_WAIT_POLICY, DJL_OFFLINE, SEGFLOW_LOG_FORMAT ...).
 */
final class ImageEnvironment {

  private static final Pattern PAIR = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"[^\"]*\"|\\S*)");

  private ImageEnvironment() {}

  static Map<String, String> of(String dockerfile) {
    List<String> lines = List.of(dockerfile.replace("\\\n", " ").split("\n"));
    int lastFrom = 0;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).strip().toUpperCase(java.util.Locale.ROOT).startsWith("FROM ")) {
        lastFrom = i;
      }
    }
    Map<String, String> env = new LinkedHashMap<>();
    for (String line : lines.subList(lastFrom, lines.size())) {
      String s = line.strip();
      if (!s.startsWith("ENV ")) {
        continue;
      }
      Matcher m = PAIR.matcher(s.substring(4));
      while (m.find()) {
        String v = m.group(2);
        env.put(m.group(1), v.startsWith("\"") ? v.substring(1, v.length() - 1) : v);
      }
    }
    if (env.isEmpty()) {
      throw new AssertionError("no ENV line in the Dockerfile's last stage");
    }
    return env;
  }
}
