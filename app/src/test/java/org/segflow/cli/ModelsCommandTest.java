package org.segflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segflow.pipeline.TrainedSample;

/**
 * `segflow models list|publish|promote` on a 64 px sample model trained for one epoch: versions are
 * listed with the promoted one starred, promote moves the star, a version that does not exist is a
 * clear error with exit status 2.
 */
class ModelsCommandTest {

  @TempDir
  static Path home;

  @BeforeAll
  static void train() {
    TrainedSample.train(home, 9, 1, 2, "0");
  }

  @Test
  void publishListPromoteAndRefuseAnUnknownVersion() throws Exception {
    assertTrue(ok("models", "list", "-d", "9").contains("no published model for 9: segflow models publish -d 9"));
    assertTrue(ok("models", "publish", "-d", "9", "-f", "0").contains("published Dataset009_Sample v1 (promoted)"));
    assertTrue(ok("models", "publish", "-d", "9", "-f", "0", "--checkpoint", "best")
        .contains("published Dataset009_Sample v2; promote with: segflow models promote -d 9 v2"));
    assertTrue(ok("models", "publish", "-d", "9", "-f", "0").contains("published Dataset009_Sample v1 (promoted)"),
        "the same files again are the existing version");

    String list = ok("models", "list", "-d", "Dataset009_Sample");
    assertTrue(list.lines().anyMatch(l -> l.startsWith("* v1   Dataset009_Sample 2d folds 0 checkpoint_final")), list);
    assertTrue(list.lines().anyMatch(l -> l.startsWith("  v2   Dataset009_Sample 2d folds 0 checkpoint_best")), list);
    assertEquals(2, list.lines().count(), list);
    assertTrue(list.lines().allMatch(l -> l.contains(" TTA on ")), list);

    // the same files without test-time mirroring segment differently: a version of their own
    assertTrue(ok("models", "publish", "-d", "9", "-f", "0", "--disable-tta")
        .contains("published Dataset009_Sample v3; promote with"));
    assertTrue(ok("models", "list", "-d", "9").lines()
        .anyMatch(l -> l.startsWith("  v3   Dataset009_Sample 2d folds 0 checkpoint_final") && l.contains(" TTA off ")));

    assertTrue(ok("models", "promote", "-d", "9", "v2").contains("promoted Dataset009_Sample v2"));
    String after = ok("models", "list", "-d", "9");
    assertTrue(after.lines().anyMatch(l -> l.startsWith("* v2")), after);
    assertTrue(after.lines().anyMatch(l -> l.startsWith("  v1")), after);

    CommandRun run = CommandRun.start("models", "promote", "-d", "9", "v7", "--home", home.toString());
    assertEquals(SegflowCommand.EXIT_INVALID_INPUT, run.exitCode(), run.output());
    assertTrue(run.errors().contains("error: ") && run.errors().contains("no model version 'v7' of Dataset009_Sample")
        && run.errors().contains("published: [v1, v2, v3]"), run.errors());
    assertTrue(ok("models", "list", "-d", "9").lines().anyMatch(l -> l.startsWith("* v2")), "still v2");

    CommandRun unknown = CommandRun.start("models", "list", "-d", "42", "--home", home.toString());
    assertEquals(SegflowCommand.EXIT_INVALID_INPUT, unknown.exitCode(), unknown.output());
    assertTrue(unknown.errors().contains("no dataset '42'"), unknown.errors());
  }

  private static String ok(String... args) throws InterruptedException {
    String[] all = java.util.Arrays.copyOf(args, args.length + 2);
    all[args.length] = "--home";
    all[args.length + 1] = home.toString();
    CommandRun run = CommandRun.start(all);
    assertEquals(0, run.exitCode(), run.output() + run.errors());
    return run.output();
  }
}
