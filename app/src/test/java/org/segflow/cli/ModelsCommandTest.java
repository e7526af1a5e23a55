package org.segflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segflow.pipeline.TrainedSample;
import org.segflow.promotion.ShadowReport;
import org.segflow.storage.Json;

/**
 * `segflow models list|publish|promote` on a 64 px sample model trained for one epoch: versions are
 * listed with the promoted one starred, promote moves the star, a version that does not exist is a
 * clear error with exit status 3.
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
    // publish computed each version's trust profile from the fold's validation cases
    assertTrue(list.lines().allMatch(l -> l.contains("trust: drift <= ") && l.contains("(2 cross-validation cases)")),
        list);
    Path v1Profile = home.resolve("results/Dataset009_Sample/models/v1.trust.json");
    java.nio.file.Files.delete(v1Profile);
    assertTrue(ok("models", "list", "-d", "9").contains("trust: no profile, images not scored (segflow models"
        + " calibrate -d 9 v1)"));
    assertTrue(ok("models", "calibrate", "-d", "9", "v1").startsWith("calibrated Dataset009_Sample v1: trust: drift <= "));
    assertTrue(java.nio.file.Files.isRegularFile(v1Profile), v1Profile.toString());

    // the same files without test-time mirroring segment differently: a version of their own
    assertTrue(ok("models", "publish", "-d", "9", "-f", "0", "--disable-tta")
        .contains("published Dataset009_Sample v3; promote with"));
    assertTrue(ok("models", "list", "-d", "9").lines()
        .anyMatch(l -> l.startsWith("  v3   Dataset009_Sample 2d folds 0 checkpoint_final") && l.contains(" TTA off ")));

    // a shadow run of v2 beside the promoted v1 on the test images (labelsTs holds their references)
    String shadow = ok("models", "shadow", "-d", "9", "v2");
    assertTrue(shadow.startsWith("shadow run over 2 images"), shadow);
    assertTrue(shadow.contains("v2   (candidate) mean Dice ") && shadow.contains("v1   (promoted)  mean Dice "), shadow);
    Path report = home.resolve("results/Dataset009_Sample/models/v2.shadow.json");
    ShadowReport measured = Json.read(report, ShadowReport.class);
    assertEquals(2, measured.images());
    // the gate reads the report: a candidate clearly worse than the promoted version is refused ...
    Json.write(report, new ShadowReport(new ShadowReport.VersionResult("v2", 0.60, 0.0, 1),
        new ShadowReport.VersionResult("v1", 0.80, 0.0, 1), 2, 0.7, "x"));
    CommandRun refused = CommandRun.start("models", "promote", "-d", "9", "v2", "--home", home.toString());
    assertEquals(SegflowCommand.EXIT_INVALID_INPUT, refused.exitCode(), refused.output());
    assertTrue(refused.errors().contains("not promoting Dataset009_Sample v2: in the shadow run over 2 images v2's"
        + " mean Dice 0.6000 is below v1's 0.8000; promote it anyway with --force"), refused.errors());
    assertTrue(ok("models", "list", "-d", "9").lines().anyMatch(l -> l.startsWith("* v1")), "still v1");
    // ... unless forced
    assertTrue(ok("models", "promote", "-d", "9", "v2", "--force").contains("promoted Dataset009_Sample v2 ("
        + "in the shadow run"));
    String after = ok("models", "list", "-d", "9");
    assertTrue(after.lines().anyMatch(l -> l.startsWith("* v2")), after);
    assertTrue(after.lines().anyMatch(l -> l.startsWith("  v1")), after);

    CommandRun run = CommandRun.start("models", "promote", "-d", "9", "v7", "--home", home.toString());
    assertEquals(SegflowCommand.EXIT_INVALID_INPUT, run.exitCode(), run.output());
    assertTrue(run.errors().contains("segflow: ") && run.errors().contains("no model version 'v7' of Dataset009_Sample")
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
