package org.segflow.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** What a process's log says, in either of segflow's log formats (plain lines, or one JSON object a line). */
final class LogLines {

  private static final ObjectMapper JSON = new ObjectMapper();

  private LogLines() {}

  /** Whether the log has an INFO event from a segflow logger (org.segflow...). */
  static boolean hasSegflowInfo(String log) {
    return log.lines().anyMatch(LogLines::isSegflowInfo);
  }

  static boolean isSegflowInfo(String line) {
    if (line.startsWith("{")) {
      try {
        JsonNode n = JSON.readTree(line);
        return "INFO".equals(text(n, "log.level", "level")) && text(n, "log.logger", "logger", "loggerName")
            .startsWith("org.segflow");
      } catch (java.io.IOException e) {
        return false;
      }
    }
    return line.matches(".*\\bINFO\\b.*\\borg\\.segflow\\..*");
  }

  private static String text(JsonNode n, String... fields) {
    for (String f : fields) {
      if (n.hasNonNull(f)) {
        return n.get(f).asText();
      }
    }
    return "";
  }
}
