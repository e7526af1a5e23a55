package org.segflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The log configuration the segflow jar ships (app/src/main/resources/log4j2.xml), seen from a
 * child {@code segflow watch} process as an operator sees it: plain lines by default, one JSON object
 * per line with SEGFLOW_LOG_FORMAT=json, segflow's INFO lines gone with SEGFLOW_LOG_LEVEL=WARN. The
 * watcher logs its start at INFO, and a file directly in the inbox without --dataset at WARN, after
 * its start: that warning is the line every run waits for.
 */
class LoggingConfigurationTest {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Pattern PLAIN = Pattern.compile(
      "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}(Z|[+-]\\d{2}:\\d{2}) (TRACE|DEBUG|INFO |WARN |ERROR|FATAL) \\[[^]]+] \\S+ - .*");
  private static final String WATCHER = "org.segflow.bridge.InboxWatcher";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path tmp;

  private final List<Process> children = new ArrayList<>();

  @AfterEach
  void killChildren() throws InterruptedException {
    for (Process p : children) {
      p.destroyForcibly();
      p.waitFor();
    }
  }

  @Test
  void theChildProcessReadsTheShippedConfigurationAndNoTestOne() throws IOException {
    ClassLoader cl = getClass().getClassLoader();
    for (String testConfig : List.of("log4j2-test.xml", "log4j2-test.properties", "log4j2-test.json",
        "log4j2-test.yaml", "log4j2-test.yml", "log4j2.properties", "log4j2.json", "log4j2.yaml", "log4j2.yml")) {
      assertNull(cl.getResource(testConfig), testConfig + " would be preferred to log4j2.xml in the child");
    }
    List<URL> configs = Collections.list(cl.getResources("log4j2.xml"));
    assertEquals(1, configs.size(), "one log4j2.xml on the class path: " + configs);
    // app's main resources at the root of its output: what the jar packs at its root
    assertTrue(configs.get(0).toString().endsWith("/app/target/classes/log4j2.xml"), configs.toString());
  }

  @Test
  void byDefaultSegflowLogsInfoAsPlainLines() throws Exception {
    Child c = watch(Map.of());
    String warning = c.await(l -> l.contains(" WARN ") && l.contains(WATCHER) && l.contains("no --dataset"));
    assertTrue(PLAIN.matcher(warning).matches(), warning);
    String started = c.await(l -> l.contains(" INFO ") && l.contains(WATCHER) && l.contains("watching"));
    assertTrue(PLAIN.matcher(started).matches(), started);
    for (String line : c.lines()) {
      assertFalse(line.startsWith("{"), "a JSON line without SEGFLOW_LOG_FORMAT: " + line);
    }
    c.assertNoLog4jErrors();
  }

  @Test
  void withLogFormatJsonEveryLogLineIsAJsonObject() throws Exception {
    Child c = watch(Map.of("SEGFLOW_LOG_FORMAT", "json"));
    c.await(l -> l.startsWith("{") && l.contains("no --dataset"));
    int segflowInfo = 0;
    for (String line : c.lines()) {
      if (line.startsWith("segflow watch ")) {
        continue; // the command's own line for humans (System.out), not a log event
      }
      JsonNode event = JSON.readTree(line);
      assertTrue(event.isObject(), line);
      for (String field : List.of("@timestamp", "log.level", "log.logger", "message", "process.thread.name")) {
        assertTrue(event.hasNonNull(field), field + " missing in " + line);
      }
      if (event.get("log.level").asText().equals("INFO") && event.get("log.logger").asText().startsWith("org.segflow.")) {
        segflowInfo++;
      }
    }
    assertTrue(segflowInfo > 0, "no INFO event of segflow:\n" + String.join("\n", c.lines()));
    c.assertNoLog4jErrors();
  }

  @Test
  void anUnknownLogFormatFallsBackToPlainLines() throws Exception {
    Child c = watch(Map.of("SEGFLOW_LOG_FORMAT", "xml"));
    String warning = c.await(l -> l.contains(WATCHER) && l.contains("no --dataset"));
    assertTrue(PLAIN.matcher(warning).matches(), warning);
    c.assertNoLog4jErrors();
  }

  @Test
  void withLogLevelWarnSegflowLogsNoInfo() throws Exception {
    Child c = watch(Map.of("SEGFLOW_LOG_LEVEL", "WARN"));
    // the warning comes after the watcher's start, which INFO would have logged
    c.await(l -> l.contains(" WARN ") && l.contains(WATCHER) && l.contains("no --dataset"));
    for (String line : c.lines()) {
      assertFalse(line.contains(" INFO ") && line.contains(" org.segflow."), "INFO at SEGFLOW_LOG_LEVEL=WARN: " + line);
    }
    c.assertNoLog4jErrors();
  }

  /** `segflow watch` on an inbox holding one image directly in it, without --dataset, and no Kafka broker. */
  private Child watch(Map<String, String> env) throws IOException {
    Path inbox = Files.createDirectories(tmp.resolve("inbox"));
    Files.write(inbox.resolve("a.png"), new byte[] {1, 2, 3});
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder pb = new ProcessBuilder(java.toString(), "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp",
        System.getProperty("java.class.path"),
        SegflowCommand.class.getName(), "watch", inbox.toString(), "--interval", "100ms", "--stable-for", "200ms",
        "--bootstrap-servers", "127.0.0.1:1", "--home", tmp.resolve("home").toString())
        .redirectError(tmp.resolve("stderr.txt").toFile());
    pb.environment().remove("SEGFLOW_LOG_FORMAT");
    pb.environment().remove("SEGFLOW_LOG_LEVEL");
    pb.environment().remove("LOG4J_CONFIGURATION_FILE");
    pb.environment().putAll(env);
    Process p = pb.start();
    children.add(p);
    return new Child(p, tmp.resolve("stderr.txt"));
  }

  /** A child's stdout lines as they come, read on a thread of their own. */
  private static final class Child {
    private final Process process;
    private final Path stderr;
    private final List<String> lines = new ArrayList<>();

    Child(Process process, Path stderr) {
      this.process = process;
      this.stderr = stderr;
      Thread reader = new Thread(() -> read(process.getInputStream()), "child-stdout");
      reader.setDaemon(true);
      reader.start();
    }

    private void read(InputStream in) {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          synchronized (lines) {
            lines.add(line);
            lines.notifyAll();
          }
        }
      } catch (IOException e) {
        // the child was killed
      }
    }

    List<String> lines() {
      synchronized (lines) {
        return List.copyOf(lines);
      }
    }

    /** The first line matching {@code wanted}, waiting for it at most {@link #WAIT}. */
    String await(Predicate<String> wanted) throws InterruptedException, IOException {
      long deadline = System.nanoTime() + WAIT.toNanos();
      synchronized (lines) {
        while (true) {
          for (String l : lines) {
            if (wanted.test(l)) {
              return l;
            }
          }
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            throw new AssertionError("no such line in the child's output (alive: " + process.isAlive() + "):\n"
                + String.join("\n", lines) + "\nstderr:\n" + Files.readString(stderr));
          }
          lines.wait(Math.max(1, Math.min(left / 1_000_000, 500)));
        }
      }
    }

    /** Log4j reports its own configuration problems (an unknown element, a missing layout) on stderr. */
    void assertNoLog4jErrors() throws IOException {
      String err = Files.readString(stderr);
      assertFalse(err.contains(" ERROR ") || err.contains("StatusLogger"), "Log4j status errors:\n" + err);
    }
  }
}
