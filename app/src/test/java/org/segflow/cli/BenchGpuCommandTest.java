package org.segflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segflow.net.Engines;
import org.segflow.net.NativePlatform;

class BenchGpuCommandTest {

  private static void assumeNoAccelerator() {
    assumeTrue(Engines.pytorch(0).getGpuCount() == 0 && !NativePlatform.current().equals("osx-aarch64"),
        "this machine has an accelerator");
  }

  /** Runs `segflow bench gpu ARGS` and returns the exit code, stdout and stderr. */
  private static String[] run(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      String[] full = new String[args.length + 2];
      full[0] = "bench";
      full[1] = "gpu";
      System.arraycopy(args, 0, full, 2, args.length);
      int code = SegflowCommand.commandLine().execute(full);
      return new String[] {Integer.toString(code), o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8)};
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  @Test
  void aMachineWithoutAnAcceleratorFailsInOneClearLine(@TempDir Path home) {
    assumeNoAccelerator();
    String[] r = run("--home", home.toString());
    assertEquals("1", r[0], r[2]);
    assertTrue(r[2].startsWith("gpu-check: FAIL no accelerator in use: device cpu()"), r[2]);
    assertEquals(1, r[2].strip().lines().count(), r[2]);
    assertEquals("", r[1], "nothing is measured");
  }

  @Test
  void theMeasurementsRunEndToEndAndStillFailOnTheCpu(@TempDir Path home) {
    assumeNoAccelerator();
    String[] r = run("--allow-cpu", "--patch", "64x64", "--stages", "4", "--iterations", "1", "--epochs", "1",
        "--iterations-per-epoch", "3", "--home", home.toString());
    assertEquals("1", r[0], r[1] + r[2]);
    assertTrue(r[1].contains("train 64x64 batch 2, 4 stages: "), r[1]);
    assertTrue(r[1].contains("images/s, peak device memory n/a"), r[1]);
    assertTrue(r[1].matches("(?s).*small run 64x64, 2 folds x 1 epochs of 3 iterations: Dice fold 0 [0-9.]+, "
        + "fold 1 [0-9.]+, mean [0-9.]+.*"), r[1]);
    assertTrue(r[2].contains("gpu-check: FAIL the accelerator was not used"), r[2]);
  }
}
