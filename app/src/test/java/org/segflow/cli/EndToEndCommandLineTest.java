package org.segflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segflow.evaluate.Summary;
import org.segflow.evaluate.SummaryJson;
import org.segflow.pipeline.FoldInputs;
import picocli.CommandLine;

/**
 * The whole nnU-Net workflow through the command line on the synthetic sample: sample, convert,
 * plan-and-preprocess, five short fold trainings, find-best, predict the test half, evaluate.
 */
class EndToEndCommandLineTest {

  @Test
  void fiveFoldsFindBestPredictAndEvaluate(@TempDir Path dir) throws Exception {
    String home = dir.resolve("home").toString();
    Path src = dir.resolve("src");
    run("sample", "--out", src.toString(), "--cases", "10", "--test-cases", "3", "--size", "64x64", "--seed", "5");
    run("convert", src.toString(), "-d", "11", "--name", "E2E", "--home", home);
    run("plan-and-preprocess", "-d", "11", "--home", home);
    for (int fold = 0; fold < 5; fold++) {
      run("train", "-d", "11", "-f", "" + fold, "--epochs", "6", "--iterations-per-epoch", "12",
          "--val-iterations", "2", "--device", "cpu", "--home", home);
    }
    Path pp = dir.resolve("home/preprocessed/Dataset011_E2E");
    assertEquals(java.util.Optional.of(FoldInputs.ofPreprocessed(pp, pp.resolve("nnUNetPlans.json"))),
        FoldInputs.recorded(dir.resolve("home/results/Dataset011_E2E/nnUNetTrainer__nnUNetPlans__2d/fold_4")),
        "a trained fold records its inputs, which --continue compares");
    run("find-best", "-d", "11", "--home", home);
    // find-best releases the chosen model as the pipeline's find-best step does
    org.segflow.storage.SegflowPaths paths = org.segflow.storage.SegflowPaths.under(dir.resolve("home"));
    org.segflow.registry.ModelVersion v1 = new org.segflow.registry.ModelRegistry(paths).promoted("Dataset011_E2E")
        .orElseThrow(() -> new AssertionError("find-best published no version"));
    assertEquals("v1", v1.version());
    assertTrue(Files.isRegularFile(new org.segflow.trust.TrustProfiles(paths).file(v1)), "with its trust profile");
    Path results = dir.resolve("home/results/Dataset011_E2E");
    assertTrue(Files.exists(results.resolve("inference_information.json")));
    assertTrue(Files.readString(results.resolve("inference_instructions.txt")).contains("segflow predict"));
    Path crossval = results.resolve("nnUNetTrainer__nnUNetPlans__2d/crossval_results_folds_0_1_2_3_4");
    assertEquals(10, SummaryJson.read(crossval.resolve("summary.json")).cases().size(),
        "every training case validated exactly once");

    Path out = dir.resolve("pred");
    run("predict", "-i", src.toString(), "-o", out.toString(), "-d", "11", "--home", home);
    for (String id : new String[] {"E2E_0", "E2E_1", "E2E_2"}) {
      assertTrue(Files.exists(out.resolve(id + ".png")), id);
      assertTrue(Files.exists(out.resolve("overlays/" + id + ".png")), id);
      assertTrue(Files.exists(out.resolve("masks/" + id + ".png")), id);
    }
    Path raw = dir.resolve("home/raw/Dataset011_E2E");
    Path summaryFile = dir.resolve("test-summary.json");
    run("evaluate", out.toString(), raw.resolve("labelsTs").toString(), "--mask-dir",
        raw.resolve("masksTs").toString(), "-o", summaryFile.toString());
    Summary test = SummaryJson.read(summaryFile);
    assertEquals(3, test.cases().size());
    double dice = test.foregroundMeanDice();
    System.out.printf("end-to-end test Dice %.4f (inside the field of view %.4f)%n", dice,
        test.fovForegroundMean().dice());
    assertTrue(dice > 0.3, "test Dice after 5 short folds: " + dice);

    // The benches on the trained plan print their figures against this machine's convolution ceiling.
    Path trace = dir.resolve("bench-train-trace.json");
    CommandRun train = CommandRun.start("bench", "train", "-d", "11", "--iterations", "2", "--home", home,
        "--profile", trace.toString());
    assertEquals(0, train.exitCode(), train.output() + train.errors());
    assertTrue(Files.size(trace) > 0, "the profiler's trace");
    // The traced step's table: a convolution op among the top ones, with its self time.
    assertTrue(train.output().matches("(?s).*ops by self time \\(\\d+ ms traced\\):.*"
        + "\\n +\\d+\\.\\d ms +\\d+\\.\\d% +total +\\d+\\.\\d ms +\\d+ calls +aten::\\w*convolution.*"),
        train.output());
    assertTrue(train.output().matches("(?s).*convolution ceiling \\d+\\.\\d GFLOP/s.*"), train.output());
    assertTrue(train.output().matches("(?s).*one iteration: \\d+\\.\\d GFLOP, floor \\d+\\.\\d\\d s, measured.*"),
        train.output());
    CommandRun predict = CommandRun.start("bench", "predict", "-d", "11", "--size", "64x64", "--fold-counts", "2",
        "--home", home);
    assertEquals(0, predict.exitCode(), predict.output() + predict.errors());
    assertTrue(predict.output().matches("(?s).*2 fold\\(s\\) TTA: \\d+\\.\\d GFLOP, floor .*"), predict.output());
    assertTrue(predict.output().matches("(?s).*2 fold\\(s\\) no TTA: \\d+\\.\\d GFLOP, floor .*"),
        predict.output());
  }

  private static void run(String... args) {
    StringWriter err = new StringWriter();
    CommandLine cl = SegflowCommand.commandLine();
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    assertEquals(0, code, String.join(" ", args) + "\n" + err);
  }
}
