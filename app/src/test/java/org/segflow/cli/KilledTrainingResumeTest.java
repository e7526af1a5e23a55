package org.segflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segflow.pipeline.SampleDatasets;
import org.segflow.train.Checkpoint;

/**
 * `segflow train` killed with SIGKILL in the middle of a fold: `--continue` picks up at the newest
 * complete checkpoint (not epoch 0) and finishes the fold with unbroken curves.
 */
class KilledTrainingResumeTest {

  private static final int EPOCHS = 5;

  @Test
  void sigkilledTrainingResumesFromItsLastCheckpoint(@TempDir Path home) throws Exception {
    SampleDatasets.prepare(home, 7, 10, 64);
    Path fold = home.resolve("results/Dataset007_Sample/nnUNetTrainer__nnUNetPlans__2d/fold_0");
    List<String> args = List.of("train", "-d", "7", "-f", "0", "--epochs", "" + EPOCHS,
        "--iterations-per-epoch", "10", "--val-iterations", "3", "--no-validation", "--home", home.toString());

    Path log = home.resolve("first-run.log");
    Process first = new ProcessBuilder(javaCommand(args)).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    try {
      Checkpoint reached = awaitLatestCheckpoint(fold.resolve(Checkpoint.LATEST), 2, first, log);
      assertTrue(reached.state().currentEpoch() >= 2);
    } finally {
      first.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no cleanup
      first.waitFor(60, TimeUnit.SECONDS);
    }
    assertFalse(Files.exists(fold.resolve(Checkpoint.FINAL)), "the first run was killed before finishing");
    int savedEpoch = Checkpoint.read(fold.resolve(Checkpoint.LATEST)).state().currentEpoch();
    List<Double> savedLosses = Checkpoint.read(fold.resolve(Checkpoint.LATEST)).state().logging().trainLosses();

    Process second = new ProcessBuilder(javaCommand(concat(args, "--continue"))).redirectErrorStream(true)
        .redirectOutput(home.resolve("second-run.log").toFile()).start();
    assertTrue(second.waitFor(10, TimeUnit.MINUTES), "resumed training finished");
    String out = Files.readString(home.resolve("second-run.log"));
    assertEquals(0, second.exitValue(), out);
    assertTrue(out.contains("Resuming from a checkpoint at epoch " + savedEpoch), out);
    String firstOut = Files.readString(log);
    assertTrue(firstOut.contains("schedule: " + EPOCHS + " epochs x 10 iterations: about "), firstOut);
    assertTrue(firstOut.contains("per epoch, from 3 iterations)"), "said before the first epoch ended:\n" + firstOut);
    assertTrue(out.contains("left from epoch " + savedEpoch), "the resumed run costs only its rest:\n" + out);
    assertTrue(out.contains("fold left "), "epoch lines end with the fold's time left:\n" + out);
    assertFalse(out.contains("\r"), "no progress bar in a log file");
    assertFalse(out.contains("epoch 1/" + EPOCHS + " "), "no epoch before the checkpoint is trained again");

    Checkpoint fin = Checkpoint.read(fold.resolve(Checkpoint.FINAL));
    assertEquals(EPOCHS, fin.state().currentEpoch());
    assertEquals(EPOCHS, fin.state().logging().epochs());
    assertEquals(savedLosses, fin.state().logging().trainLosses().subList(0, savedLosses.size()));
    assertFalse(Files.exists(fold.resolve(Checkpoint.LATEST)));
  }

  /** Waits (polling the file, bounded) until the running trainer has checkpointed {@code epoch}. */
  private static Checkpoint awaitLatestCheckpoint(Path latest, int epoch, Process p, Path log) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(8);
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        fail("training exited early with " + p.exitValue() + ":\n" + Files.readString(log));
      }
      if (Files.exists(latest)) {
        Checkpoint c = Checkpoint.read(latest); // written atomically: always complete
        if (c.state().currentEpoch() >= epoch) {
          return c;
        }
      }
      p.waitFor(200, TimeUnit.MILLISECONDS);
    }
    fail("no checkpoint for epoch " + epoch + " in time:\n" + Files.readString(log));
    return null;
  }

  private static List<String> javaCommand(List<String> args) {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    // C1 only: a short-lived JVM whose work is native (PyTorch); it starts with less CPU
    List<String> cmd = new java.util.ArrayList<>(List.of(java.toString(), "-Xmx3g", "-XX:TieredStopAtLevel=1",
        "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"), SegflowCommand.class.getName()));
    cmd.addAll(args);
    return cmd;
  }

  private static List<String> concat(List<String> a, String b) {
    List<String> r = new java.util.ArrayList<>(a);
    r.add(b);
    return r;
  }
}
