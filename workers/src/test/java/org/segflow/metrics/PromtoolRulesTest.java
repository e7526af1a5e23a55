package org.segflow.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The alert rules load, and their promtool unit tests (deploy/prometheus/alerts.test.yml) pass. */
class PromtoolRulesTest {

  private static String run(Path dir, List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("timed out: " + command);
    }
    assertEquals(0, p.exitValue(), String.join(" ", command) + "\n" + out);
    return out;
  }

  @Test
  void alertRulesCheckAndTheirUnitTestsPass() throws Exception {
    Optional<Path> promtool = PrometheusDashboardTest.binary("promtool");
    Assumptions.assumeTrue(promtool.isPresent(), "promtool not on PATH: install Debian's prometheus package "
        + "(`apt-get install -y --no-install-recommends prometheus`) to check the alert rules");
    Path dir = Dashboards.repoRoot().resolve("deploy").resolve("prometheus");
    run(dir, List.of(promtool.get().toString(), "check", "rules", "alerts.yml"));
    run(dir, List.of(promtool.get().toString(), "test", "rules", "alerts.test.yml"));
  }
}
