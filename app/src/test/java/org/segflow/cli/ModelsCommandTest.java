package org.segflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.segflow.contract.TrustScores;
import org.segflow.pipeline.TrainedSample;
import org.segflow.promotion.LiveShadow;
import org.segflow.promotion.ShadowReport;
import org.segflow.registry.ModelRegistry;
import org.segflow.storage.Json;
import org.segflow.storage.SegflowPaths;

/**
 * `segflow models list|publish|promote|shadow` on a 64 px sample model trained for one epoch: versions
 * are listed with the promoted one starred, promote moves the star, a version that does not exist is a
 * clear error with exit status 3; a live shadow run starts, shows its comparison, stops, and its records
 * gate promotion. The second test continues where the first left the models (v2 promoted).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ModelsCommandTest {

  @TempDir
  static Path home;

  @BeforeAll
  static void train() {
    TrainedSample.train(home, 9, 1, 2, "0");
  }

  @Test
  @Order(1)
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
    String shadow = ok("models", "shadow", "-d", "9", "--test-set", "v2");
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

  @Test
  @Order(2)
  void aLiveShadowRunStartsShowsItsComparisonStopsAndGatesPromotion() throws Exception {
    assertTrue(ok("models", "list", "-d", "9").lines().anyMatch(l -> l.startsWith("* v2")), "left by the first test");
    String none = ok("models", "shadow", "-d", "9");
    assertTrue(none.contains("no live shadow run of 9 (start one: segflow models shadow -d 9 VERSION)"), none);
    assertTrue(none.contains("no arrivals segmented in a shadow run yet"), none);
    CommandRun promotedItself = CommandRun.start("models", "shadow", "-d", "9", "v2", "--home", home.toString());
    assertEquals(SegflowCommand.EXIT_INVALID_INPUT, promotedItself.exitCode(), promotedItself.output());
    assertTrue(promotedItself.errors().contains("v2 is the promoted version of Dataset009_Sample"),
        promotedItself.errors());
    CommandRun imagesLive = CommandRun.start("models", "shadow", "-d", "9", "v3", "--images", "/tmp", "--home",
        home.toString());
    assertEquals(SegflowCommand.EXIT_INVALID_INPUT, imagesLive.exitCode(), imagesLive.output());
    assertTrue(imagesLive.errors().contains("--images, --labels and --limit choose the images of a --test-set"),
        imagesLive.errors());

    String started = ok("models", "shadow", "-d", "9", "v3");
    assertTrue(started.startsWith("shadowing Dataset009_Sample v3: it segments every arriving image beside the"
        + " promoted v2, publishing nothing (outputs under " + home.resolve("predictions/Dataset009_Sample/shadow/v3")),
        started);
    ModelRegistry registry = new ModelRegistry(SegflowPaths.under(home));
    assertEquals("v3", registry.shadow("9").orElseThrow().version());
    assertTrue(Files.isRegularFile(home.resolve("results/Dataset009_Sample/models/shadow.json")));

    // what the gpu worker records per arrival: three labelled images where v3 is worse, one unlabelled
    LiveShadow live = new LiveShadow(SegflowPaths.under(home));
    var v3 = registry.version("9", "v3");
    double[][] dice = {{0.70, 0.80}, {0.72, 0.82}, {0.68, 0.78}};
    for (int i = 0; i < 4; i++) {
      TrustScores shadowTrust = scores(0.90, i == 0 ? List.of(TrustScores.LOW_CONFIDENCE) : List.of());
      TrustScores promotedTrust = scores(0.94, List.of());
      live.write(v3, new LiveShadow.ImageRecord("file:///inbox/" + i + ".png", "ab".repeat(32), "img" + i,
          LiveShadow.Side.of("v3", i < 3 ? dice[i][0] : null, shadowTrust),
          LiveShadow.Side.of("v2", i < 3 ? dice[i][1] : null, promotedTrust), 0.9, "2026-12-03T10:00:00Z"));
    }
    String comparison = ok("models", "shadow", "-d", "9");
    assertTrue(comparison.startsWith("live shadow run of Dataset009_Sample: v3 segments every arriving image"
        + " beside the promoted v2"), comparison);
    assertTrue(comparison.contains("v3 beside v2 over 4 arriving images (3 with reference labels):"), comparison);
    assertTrue(comparison.contains("  v3   (shadow)   mean Dice 0.7000, flagged 25.0%, mean confidence 0.900"),
        comparison);
    assertTrue(comparison.contains("  v2   (promoted) mean Dice 0.8000, flagged 0.0%, mean confidence 0.940"),
        comparison);
    assertTrue(comparison.contains("  agreement (mean Dice of one against the other): 0.9000"), comparison);

    // the gate reads the live records: worse on the labelled arrivals is refused, with the comparison shown
    CommandRun refused = CommandRun.start("models", "promote", "-d", "9", "v3", "--home", home.toString());
    assertEquals(SegflowCommand.EXIT_INVALID_INPUT, refused.exitCode(), refused.output());
    assertTrue(refused.output().contains("v3 beside v2 over 4 arriving images"), refused.output());
    assertTrue(refused.errors().contains("not promoting Dataset009_Sample v3: in the live shadow run v3's mean Dice"
        + " on 3 labelled arrivals 0.7000 is below v2's 0.8000; promote it anyway with --force"), refused.errors());
    assertEquals("v2", registry.promoted("9").orElseThrow().version());

    String stopped = ok("models", "shadow", "-d", "9", "--stop");
    assertTrue(stopped.startsWith("ended the live shadow run of v3"), stopped);
    assertTrue(stopped.contains("v3 beside v2 over 4 arriving images"), "the records stay: " + stopped);
    assertTrue(registry.shadow("9").isEmpty());
    assertTrue(ok("models", "shadow", "-d", "9", "--stop").startsWith("no live shadow run of 9"));

    // better on the labelled arrivals: promoted, and promoting the shadowed version ends its run
    ok("models", "shadow", "-d", "9", "v3");
    for (int i = 0; i < 3; i++) {
      live.write(v3, new LiveShadow.ImageRecord("file:///inbox/" + i + ".png", "ab".repeat(32), "img" + i,
          LiveShadow.Side.of("v3", 0.85, scores(0.9, List.of())), LiveShadow.Side.of("v2", 0.80,
              scores(0.9, List.of())), 0.9, "2026-12-03T10:00:00Z"));
    }
    String promoted = ok("models", "promote", "-d", "9", "v3");
    assertTrue(promoted.contains("promoted Dataset009_Sample v3 (live shadow run over 4 arrivals (3 labelled): mean"
        + " Dice 0.8500 vs 0.8000, flagged 0.0% vs 0.0%; "), promoted);
    assertTrue(promoted.endsWith("; its live shadow run ended" + System.lineSeparator()), promoted);
    assertTrue(registry.shadow("9").isEmpty());
    assertTrue(Files.notExists(home.resolve("results/Dataset009_Sample/models/shadow.json")));
  }

  private static TrustScores scores(double confidence, List<String> flags) {
    return new TrustScores(1.0, 4.0, "c0.p50", confidence, 0.8, 0.5, 3.0, flags);
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
