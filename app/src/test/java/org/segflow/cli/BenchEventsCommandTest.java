package org.segflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segflow.pipeline.TrainedSample;
import org.segflow.predict.ModelFiles;
import org.segflow.registry.ModelRegistry;
import org.segflow.storage.SegflowPaths;
import org.segflow.trust.TrustCalibration;
import picocli.CommandLine;

/** `segflow bench events` on the embedded stack, and what it says without a published model. */
class BenchEventsCommandTest {

  @Test
  void withoutAPublishedModelItSaysHowToGetOne(@TempDir Path home) {
    StringWriter err = new StringWriter();
    CommandLine cl = SegflowCommand.commandLine();
    cl.setErr(new PrintWriter(err));
    int code = cl.execute("bench", "events", "-d", "5", "--home", home.toString());
    assertEquals(SegflowCommand.EXIT_INVALID_INPUT, code, err.toString());
    assertTrue(err.toString().contains("no published model") && err.toString().contains("segflow models publish"),
        err.toString());
  }

  @Test
  void twoGpuWorkersSegmentEveryImageAndTheLatenciesAreReported(@TempDir Path home) {
    TrainedSample.train(home, 7, 1, 2, "0");
    SegflowPaths paths = SegflowPaths.under(home);
    new TrustCalibration(paths).calibrate(new ModelRegistry(paths).publish(new ModelRegistry.Publication("7", "2d",
        "nnUNetPlans", List.of("0"), ModelFiles.CheckpointChoice.FINAL)), ai.djl.Device.cpu());
    String report = bench("-d", "7", "--images", "6", "--size", "64x64", "--gpu-workers", "2", "--seed", "3",
        "--interval", "100ms", "--timeout", "2m", "--home", home.toString());
    assertTrue(report.contains("trust scoring on"), report);
    assertTrue(report.contains("images with trust scores: 6 of 6"), report);
    // each event says what scoring took (score_ms, at least 1 ms when scored) and its share of the latency
    Matcher scoring = Pattern.compile("6 images scored; p50 ([0-9]+) ms, max ([0-9]+) ms; share of event -> "
        + "completed \\(score_ms / total_ms per image\\): p50 ([0-9.]+)%, max ([0-9.]+)%").matcher(report);
    assertTrue(scoring.find(), report);
    long scoreP50 = Long.parseLong(scoring.group(1));
    assertTrue(scoreP50 >= 1 && scoreP50 <= Long.parseLong(scoring.group(2)), report);
    double shareP50 = Double.parseDouble(scoring.group(3));
    assertTrue(shareP50 > 0 && shareP50 <= Double.parseDouble(scoring.group(4)) && shareP50 < 100, report);
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    assertTrue(report.contains("2 gpu worker(s) x " + threads + " engine thread(s)"), report);
    assertTrue(report.contains("6 images of 64x64 in "), report);
    // one event every 100 ms: the last is sent no earlier than 0.5 s after the first
    Matcher sent = Pattern.compile("sent 6 events in ([0-9.]+) s").matcher(report);
    assertTrue(sent.find(), report);
    assertTrue(Double.parseDouble(sent.group(1)) >= 0.5, report);
    Matcher latency = Pattern.compile("p50 ([0-9.]+) s, p95 ([0-9.]+) s, max ([0-9.]+) s").matcher(report);
    assertTrue(latency.find(), report);
    double p50 = Double.parseDouble(latency.group(1));
    double max = Double.parseDouble(latency.group(3));
    assertTrue(p50 > 0 && p50 <= max, report);
    Matcher dice = Pattern.compile("mean Dice against the references ([0-9.]+) over 6 images").matcher(report);
    assertTrue(dice.find(), report);
    double d = Double.parseDouble(dice.group(1));
    assertTrue(d >= 0 && d <= 1, report);

    // the same stack without scoring, for comparison: the events carry no trust
    String unscored = bench("-d", "7", "--images", "2", "--size", "64x64", "--seed", "4", "--no-trust",
        "--timeout", "2m", "--home", home.toString());
    assertTrue(unscored.contains("trust scoring off"), unscored);
    assertTrue(unscored.contains("images with trust scores: 0 of 2"), unscored);
    assertTrue(unscored.contains("0 images scored; score_ms max 0 ms over all 2 images"), unscored);
    assertEquals(null, System.getProperty("segflow.trust"), "the switch is this run's only");
  }

  private static String bench(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    int code;
    String[] all = new String[args.length + 2];
    all[0] = "bench";
    all[1] = "events";
    System.arraycopy(args, 0, all, 2, args.length);
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      code = SegflowCommand.commandLine().execute(all);
    } finally {
      System.setOut(stdout);
    }
    String report = out.toString(StandardCharsets.UTF_8);
    assertEquals(0, code, report);
    return report;
  }
}
