package org.segflow.deploy;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** deploy/gpu-check as a user runs it (through bin/segflow and the built jar) on a machine without GPU. */
class GpuCheckScriptIT {

  @TempDir
  Path home;

  @Test
  void failsWithOneClearLineWhereNoAcceleratorIsUsed() throws Exception {
    assumeTrue(!Files.exists(Path.of("/dev/nvidia0")) && !System.getProperty("os.name").startsWith("Mac"),
        "this machine may have an accelerator");
    Path root = Path.of(System.getProperty("segflow.jar")).toAbsolutePath().getParent().getParent().getParent();
    ProcessBuilder pb = new ProcessBuilder(root.resolve("deploy/gpu-check").toString())
        .directory(home.toFile()).redirectErrorStream(true);
    pb.environment().put("SEGFLOW_HOME", home.toString());
    pb.environment().put("SEGFLOW_JAVA_OPTS", "-Xmx1g");
    Process p = pb.start();
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), "gpu-check did not finish");
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertNotEquals(0, p.exitValue(), out);
    assertTrue(out.lines().anyMatch(l -> l.startsWith("gpu-check: FAIL no accelerator in use: device cpu()")), out);
  }
}
