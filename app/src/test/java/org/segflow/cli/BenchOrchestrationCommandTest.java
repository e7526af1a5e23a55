package org.segflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segflow.net.HostCpu;
import org.segflow.train.Checkpoint;

/**
 * `segflow bench orchestration --reruns 1` end to end on the embedded stack: the filling run trains the
 * fold, the re-run schedules only the cached steps' activities (one each: the cpu steps, the fold cache,
 * find-best and predict), trains nothing, every step answers from its cache (find-best and predict
 * included: otherwise the command exits 1), and the table's figures are consistent with each other.
 */
class BenchOrchestrationCommandTest {

  /** The pipeline's activities for one fold, as PipelineWorkflowImpl schedules them when the fold is cached. */
  private static final List<String> CACHED_RUN = List.of("Ingest", "Convert", "Fingerprint", "PlanAndPreprocess",
      "FinishedFold", "FindBest", "Predict");

  @Test
  void aRerunSchedulesOnlyCachedStepsAndReportsMillisecondsPerActivity(@TempDir Path home) throws Exception {
    String[] r = run("bench", "orchestration", "--reruns", "1", "--warmup", "1", "--cases", "5", "--threads", "1",
        "--home", home.toString());
    String out = r[1];
    assertEquals("0", r[0], out + r[2]);

    HostCpu cpu = HostCpu.current();
    assertTrue(out.lines().anyMatch(l -> l.startsWith("bench orchestration on " + cpu.describe())), out);

    Matcher fill = Pattern.compile("filling run: [0-9.]+ s, (\\d+) activities \\(\\{(.*)}\\)").matcher(out);
    assertTrue(fill.find(), out);
    assertTrue(fill.group(2).contains(BenchOrchestrationCommand.TRAIN_FOLD + "=1"), "the filling run trains: " + out);
    assertTrue(Pattern.compile("(?m)^warm-up re-runs, not counted: \\d+ ms \\([0-9.]+ ms/activity\\)$").matcher(out)
        .find(), "one warm-up re-run, reported apart: " + out);

    Matcher row = Pattern.compile("(?m)^1\\s+(\\d+)\\s+(\\d+)\\s+([0-9.]+)\\s+(-?[0-9.]+)\\s+(\\d+)/(\\d+)\\s+(\\d+)/(\\d+)\\s+"
        + "(\\d+), (\\d+) ms\\s+(\\d+)\\s+(\\d+) folds$").matcher(out);
    assertTrue(row.find(), out);
    double wall = Double.parseDouble(row.group(1));
    int activities = Integer.parseInt(row.group(2));
    assertEquals(CACHED_RUN.size(), activities, out);
    // both printed rounded: wall to the millisecond, ms per activity to a tenth
    assertEquals(wall / activities, Double.parseDouble(row.group(3)), 0.5 / activities + 0.051,
        "ms per activity = wall / activities");
    double overhead = Double.parseDouble(row.group(4));
    assertTrue(overhead > 0 && overhead < wall / activities, "no activity running: part of the wall: " + out);
    assertTrue(Integer.parseInt(row.group(5)) <= Integer.parseInt(row.group(6)), "median <= max: " + out);
    assertTrue(Integer.parseInt(row.group(7)) <= Integer.parseInt(row.group(8)), "median <= max: " + out);
    assertTrue(Integer.parseInt(row.group(9)) >= activities, "a workflow task at least per activity: " + out);
    assertTrue(Integer.parseInt(row.group(11)) <= wall + 1, "the history's span is inside the client's wall: " + out);
    assertEquals(0, Integer.parseInt(row.group(12)), "no fold trained on the re-run: " + out);

    Map<String, Integer> byType = new LinkedHashMap<>();
    double running = 0;
    Matcher type = Pattern.compile("(?m)^  ([A-Za-z]+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)$").matcher(out);
    while (type.find()) {
      byType.put(type.group(1), Integer.parseInt(type.group(2)));
      running += Integer.parseInt(type.group(3));
      assertTrue(Integer.parseInt(type.group(3)) <= Integer.parseInt(type.group(4)), out);
    }
    Map<String, Integer> expected = new LinkedHashMap<>();
    CACHED_RUN.forEach(t -> expected.put(t, 1));
    assertEquals(expected, byType, out);
    // one re-run: each type's median is its one activity's run time, rounded to a millisecond
    assertEquals(wall - running, overhead * activities, 0.5 * activities + 1, out);

    Matcher headline = Pattern.compile("pipeline re-run with every step cached: ([0-9.]+) ms per activity \\(median of "
        + "1 re-run\\(s\\), 7 activities each, median wall (\\d+) ms; ([0-9.]+) ms per activity with no activity "
        + "running; target < 50 ms\\) on (.*)").matcher(out);
    assertTrue(headline.find(), out);
    assertEquals(cpu.describe(), headline.group(4));
    assertEquals(Double.parseDouble(row.group(3)), Double.parseDouble(headline.group(1)), 0.051);
    assertEquals(overhead, Double.parseDouble(headline.group(3)), 0.051);
    // find-best and predict too: the re-run scored and segmented nothing (else NOT CACHED and exit 1)
    assertTrue(out.contains("answered by the step caches: ingest, convert, fingerprint, plan-and-preprocess, fold(s) "
        + "[0], find-best (nnUNetTrainer__nnUNetPlans__2d, published again: the registry answers with its version), "
        + "predict (1 test image(s))"), out);
    assertTrue(!out.contains("NOT CACHED"), out);
    Matcher split = Pattern.compile("a re-run's wall, median: (\\d+) ms with an activity running, (\\d+) ms with none "
        + "\\(the orchestration's own: workflow tasks, dispatch, the client\\), workflow tasks (\\d+) ms \\((\\d+) ms of it "
        + "from started to completed: fetching the history, replaying it, answering\\)").matcher(out);
    assertTrue(split.find(), out);
    assertEquals(Integer.parseInt(row.group(10)), Integer.parseInt(split.group(3)), 1, "one re-run: its tasks' time");
    assertTrue(Integer.parseInt(split.group(4)) <= Integer.parseInt(split.group(3)) + 1, "a part of it: " + out);
    assertEquals(wall, Integer.parseInt(split.group(1)) + Integer.parseInt(split.group(2)), 2, "running + none = wall");
    assertEquals(overhead * activities, Integer.parseInt(split.group(2)), 0.5 * activities + 1, out);
    assertTrue(out.lines().anyMatch(l -> l.matches("load average \\(1, 5, 15 min\\): .+ at the start, .+ at the end")),
        out);

    // trained once: one training log and the filling run's epochs in the final checkpoint
    Path fold;
    try (Stream<Path> runs = Files.list(home.resolve("bench-orchestration"))) {
      fold = runs.findFirst().orElseThrow().resolve("results").resolve(new org.segflow.dataset.DatasetName(
          BenchOrchestrationCommand.DATASET_ID, BenchOrchestrationCommand.NAME).folderName())
          .resolve("nnUNetTrainer__nnUNetPlans__2d/fold_0");
    }
    try (Stream<Path> files = Files.list(fold)) {
      assertEquals(1, files.filter(f -> f.getFileName().toString().startsWith("training_log_")).count(),
          "trained once");
    }
    assertEquals(1, Checkpoint.read(fold.resolve(Checkpoint.FINAL)).state().currentEpoch());
  }

  /** Runs `segflow ARGS` and returns the exit code, stdout and stderr. */
  private static String[] run(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      int code = SegflowCommand.commandLine().execute(args);
      return new String[] {Integer.toString(code), o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8)};
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }
}
