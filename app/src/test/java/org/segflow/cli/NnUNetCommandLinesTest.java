package org.segflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.segflow.net.Engines;
import picocli.CommandLine;

/**
 * nnU-Net v2's command lines with {@code segflow} in place of {@code nnUNetv2_}: each row parses one
 * documented form (nothing runs) and checks the value segflow takes from it; segflow's own forms stay.
 */
class NnUNetCommandLinesTest {

  /** The subcommand's object after picocli parsed {@code line} (split at spaces). */
  static Object parse(String line) {
    CommandLine.ParseResult r = SegflowCommand.commandLine().parseArgs(line.split(" +"));
    return r.subcommand().commandSpec().userObject();
  }

  record Row<T>(String line, Class<T> type, String what, Function<T, Object> actual, Object expected) {
    Object valueOf(Object command) {
      return actual.apply(type.cast(command));
    }

    @Override
    public String toString() {
      return line + "  ->  " + what + " = " + expected;
    }
  }

  static <T> Arguments row(String line, Class<T> type, String what, Function<T, Object> actual, Object expected) {
    return Arguments.of(new Row<>(line, type, what, actual, expected));
  }

  static Stream<Arguments> forms() {
    List<Arguments> rows = new ArrayList<>(List.of(
        // nnUNetv2_plan_and_preprocess
        row("plan_and_preprocess -d 1 --verify_dataset_integrity", PlanAndPreprocessCommand.class, "verify",
            c -> c.verify, true),
        row("plan_and_preprocess -d 1 2", PlanAndPreprocessCommand.class, "datasets", c -> c.datasets,
            List.of("1", "2")),
        row("plan_and_preprocess -d 1 -c 2d", PlanAndPreprocessCommand.class, "configurations",
            c -> c.configurations, List.of("2d")),
        row("plan_and_preprocess -d 1 -np 4", PlanAndPreprocessCommand.class, "threads", c -> c.threads(), 4),
        row("plan_and_preprocess -d 1 -npfp 3", PlanAndPreprocessCommand.class, "threads", c -> c.threads(), 3),
        row("plan_and_preprocess -d 1 -pl ExperimentPlanner", PlanAndPreprocessCommand.class, "planner",
            c -> c.planner, "ExperimentPlanner"),
        row("plan_and_preprocess -d 1 -gpu_memory_target 6", PlanAndPreprocessCommand.class, "memory target",
            c -> c.memoryTargetGb, 6.0),
        row("plan_and_preprocess -d 1 -overwrite_plans_name MyPlans", PlanAndPreprocessCommand.class, "plans",
            c -> c.plansName, "MyPlans"),
        row("plan_and_preprocess -d 1 -fpe DatasetFingerprintExtractor -preprocessor_name DefaultPreprocessor "
            + "--clean --verbose", PlanAndPreprocessCommand.class, "clean", c -> c.clean, true),
        row("plan-and-preprocess -d 2 --verify-dataset-integrity --memory-target-gb 8 --threads 1",
            PlanAndPreprocessCommand.class, "threads", c -> c.threads(), 1),
        // nnUNetv2_train
        row("train 1 2d 0", TrainCommand.class, "dataset", c -> c.dataset(), "1"),
        row("train 1 2d 0", TrainCommand.class, "configuration", c -> c.configuration(), "2d"),
        row("train 1 2d all", TrainCommand.class, "fold", c -> c.fold(), "all"),
        row("train 1 2d 0", TrainCommand.class, "epochs", c -> c.epochs(), 1000),
        row("train Dataset001_X 2d 3 -tr nnUNetTrainer", TrainCommand.class, "epochs", c -> c.epochs(), 1000),
        row("train 1 2d 0 --c", TrainCommand.class, "continue", c -> c.resume, true),
        row("train 1 2d 0 --npz", TrainCommand.class, "npz", c -> c.npz, true),
        row("train 1 2d 0 -p MyPlans", TrainCommand.class, "plans", c -> c.plansName, "MyPlans"),
        row("train 1 2d 0 -device cpu", TrainCommand.class, "device", c -> c.engine.deviceName(), "cpu"),
        row("train 1 2d 0 -device cuda", TrainCommand.class, "device", c -> c.engine.deviceName(), "gpu"),
        row("train 1 2d 0 -num_gpus 1", TrainCommand.class, "gpus", c -> c.numGpus, 1),
        row("train 1 2d 0 -s my_splits.json", TrainCommand.class, "splits", c -> c.splitsFile,
            Path.of("my_splits.json")),
        row("train 1 2d 0 --splits my_splits.json", TrainCommand.class, "splits", c -> c.splitsFile,
            Path.of("my_splits.json")),
        row("train -d 2 -c 2d -f 0 --epochs 3 --continue --device cpu", TrainCommand.class, "epochs",
            c -> c.epochs(), 3),
        row("train -d 2 -f 1", TrainCommand.class, "fold", c -> c.fold(), "1"),
        row("train -d 2 -f 1", TrainCommand.class, "configuration", c -> c.configuration(), "2d"),
        // nnUNetv2_find_best_configuration
        row("find_best_configuration 1", FindBestCommand.class, "dataset", c -> c.dataset(), "1"),
        row("find_best_configuration 1 -c 2d -f 0 1 2", FindBestCommand.class, "folds", c -> c.folds(),
            List.of(0, 1, 2)),
        row("find_best_configuration 1 -p nnUNetPlans -tr nnUNetTrainer_50epochs", FindBestCommand.class, "plans",
            c -> c.plansName(), "nnUNetPlans"),
        row("find_best_configuration 1 -np 2 --disable_ensembling", FindBestCommand.class, "disable ensembling",
            c -> c.disableEnsembling, true),
        row("find-best -d 2 -f 0", FindBestCommand.class, "dataset", c -> c.dataset(), "2"),
        // nnUNetv2_predict
        row("predict -i IN -o OUT -d 2 -c 2d", PredictCommand.class, "input", c -> c.input, Path.of("IN")),
        row("predict -i IN -o OUT -d 2 -c 2d -f 0 1", PredictCommand.class, "folds", c -> c.folds, List.of("0", "1")),
        row("predict -i IN -o OUT -d 2 -f all", PredictCommand.class, "folds", c -> c.folds, List.of("all")),
        row("predict -i IN -o OUT -d 2 -p MyPlans -tr nnUNetTrainer_50epochs", PredictCommand.class, "trainer",
            c -> c.trainer, "nnUNetTrainer_50epochs"),
        row("predict -i IN -o OUT -d 2 -step_size 0.25", PredictCommand.class, "step", c -> c.stepSize, 0.25),
        row("predict -i IN -o OUT -d 2 --disable_tta", PredictCommand.class, "no TTA", c -> c.disableTta, true),
        row("predict -i IN -o OUT -d 2 --save_probabilities", PredictCommand.class, "probabilities",
            c -> c.saveProbabilities, true),
        row("predict -i IN -o OUT -d 2 --continue_prediction", PredictCommand.class, "continue",
            c -> c.continuePrediction, true),
        row("predict -i IN -o OUT -d 2 -chk checkpoint_best.pth", PredictCommand.class, "checkpoint",
            c -> org.segflow.predict.ModelFiles.CheckpointChoice.parse(c.checkpoint),
            org.segflow.predict.ModelFiles.CheckpointChoice.BEST),
        row("predict -i IN -o OUT -d 2 -npp 2 -nps 1", PredictCommand.class, "-nps", c -> c.exportProcesses, 1),
        row("predict -i IN -o OUT -d 2 --verbose --disable_progress_bar", PredictCommand.class, "no progress",
            c -> c.noProgress, true),
        row("predict -i IN -o OUT -d 2 -num_parts 1 -part_id 0", PredictCommand.class, "parts", c -> c.numParts, 1),
        row("predict -i IN -o OUT -d 2 -device cpu", PredictCommand.class, "device", c -> c.engine.deviceName(),
            "cpu"),
        row("predict -i IN -o OUT -d 2 --save-probabilities --disable-tta --checkpoint best --step-size 0.5",
            PredictCommand.class, "probabilities", c -> c.saveProbabilities, true),
        // nnUNetv2_ensemble
        row("ensemble -i A B -o OUT --save_npz -np 2", EnsembleCommand.class, "npz", c -> c.saveProbabilities,
            true),
        row("ensemble -i A B C -o OUT", EnsembleCommand.class, "inputs", c -> c.inputs,
            List.of(Path.of("A"), Path.of("B"), Path.of("C"))),
        // nnUNetv2_apply_postprocessing
        row("apply_postprocessing -i IN -o OUT -pp_pkl_file pp.json -np 2 -plans_json plans.json "
            + "-dataset_json dataset.json", ApplyPostprocessingCommand.class, "postprocessing",
            c -> c.postprocessingFile, Path.of("pp.json")),
        row("apply-postprocessing -i IN -o OUT -pp postprocessing.json --plans-json plans.json",
            ApplyPostprocessingCommand.class, "plans", c -> c.plansJson, Path.of("plans.json")),
        // nnUNetv2_evaluate_folder: references first
        row("evaluate_folder GT PRED -djfile dataset.json -pfile plans.json", EvaluateFolderCommand.class,
            "references", c -> c.references, Path.of("GT")),
        row("evaluate_folder GT PRED -djfile dataset.json -pfile plans.json -o s.json -np 2 --chill",
            EvaluateFolderCommand.class, "predictions", c -> c.predictions, Path.of("PRED")),
        // segflow evaluate: predictions first, unchanged
        row("evaluate PRED REF --mask-dir M", EvaluateCommand.class, "predictions", c -> c.predictions,
            Path.of("PRED"))));
    for (var e : NnUNetArgs.TRAINER_EPOCHS.entrySet()) {
      rows.add(row("train 1 2d 0 -tr " + e.getKey(), TrainCommand.class, "epochs", c -> c.epochs(), e.getValue()));
    }
    return rows.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("forms")
  void parsesTheDocumentedForm(Row<?> row) {
    Object command = parse(row.line());
    assertEquals(row.expected(), row.valueOf(command), row.toString());
  }

  @Test
  void thePractitionersThreeLinesParseToWhatTheyMeanInNnUNet() {
    TrainCommand train = (TrainCommand) parse("train 1 2d 0 -tr nnUNetTrainer_50epochs -device mps");
    assertEquals("1", train.dataset());
    assertEquals("2d", train.configuration());
    assertEquals("0", train.fold());
    assertEquals(50, train.epochs());
    assertEquals("mps", train.engine.deviceName());

    PredictCommand predict = (PredictCommand) parse("predict -i IN -o OUT -d 2 -c 2d --save_probabilities -f 0 "
        + "-device mps");
    assertEquals(Path.of("IN"), predict.input);
    assertEquals(Path.of("OUT"), predict.output);
    assertEquals("2", predict.dataset);
    assertEquals("2d", predict.configuration);
    assertTrue(predict.saveProbabilities);
    assertEquals(List.of("0"), predict.folds);
    assertEquals("mps", predict.engine.deviceName());

    PlanAndPreprocessCommand plan = (PlanAndPreprocessCommand) parse("plan_and_preprocess -d 1 "
        + "--verify_dataset_integrity");
    assertEquals(List.of("1"), plan.datasets);
    assertTrue(plan.verify);
  }

  static Stream<Arguments> refusals() {
    return Stream.of(
        Arguments.of("train 1 2d 0 -tr nnUNetTrainerDA5", "accepted: nnUNetTrainer, nnUNetTrainer_1epoch"),
        Arguments.of("train 1 3d_fullres 0", "segflow is 2D"),
        Arguments.of("train -d 1 -c 3d_lowres -f 0", "segflow is 2D"),
        Arguments.of("train 1 2d 0 -d 2", "disagree"),
        Arguments.of("train 2d 0", "missing FOLD"),
        Arguments.of("train", "missing DATASET"),
        Arguments.of("train 1 2d 0 -tr nnUNetTrainer_50epochs --epochs 100", "trains 50 epochs"),
        Arguments.of("train 1 2d 0 --val", "--val is not supported"),
        Arguments.of("train 1 2d 0 -num_gpus 2", "-num_gpus 2 is not supported"),
        Arguments.of("train 1 2d 0 -device tpu", "unknown device 'tpu'"),
        Arguments.of("predict -i IN -o OUT -d 2 -c 3d_fullres", "segflow is 2D"),
        Arguments.of("predict -i IN -o OUT -d 2 -num_parts 2 -part_id 1", "one call predicts every case"),
        Arguments.of("plan_and_preprocess -d 1 -c 2d 3d_fullres", "segflow is 2D"),
        Arguments.of("plan_and_preprocess -d 1 -pl nnUNetPlannerResEncM", "-pl nnUNetPlannerResEncM is not"),
        Arguments.of("find_best_configuration 1 -c 3d_fullres", "segflow is 2D"),
        Arguments.of("find_best_configuration 1 -c 2d 3d_fullres", "segflow is 2D"),
        Arguments.of("find_best_configuration 1 -p A B", "give one value"),
        Arguments.of("find_best_configuration 1 -tr nnUNetTrainer MyTrainer", "accepted: nnUNetTrainer"),
        Arguments.of("find_best_configuration 1 -tr MyTrainer", "accepted: nnUNetTrainer"),
        Arguments.of("evaluate GT PRED -djfile d.json -pfile p.json", "segflow evaluate_folder GT PRED"));
  }

  @Test
  void evaluateFolderWithoutItsJsonFilesIsAUsageError() {
    StringWriter err = new StringWriter();
    CommandLine cl = SegflowCommand.commandLine();
    cl.setErr(new PrintWriter(err));
    assertEquals(ExitStatus.USAGE, cl.execute("evaluate_folder", "GT", "PRED"), err.toString());
    assertTrue(err.toString().contains("-djfile"), err.toString());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  void refusesWithAOneLineReasonBeforeAnyWork(String line, String expected, @TempDir Path home) {
    StringWriter err = new StringWriter();
    CommandLine cl = SegflowCommand.commandLine();
    cl.setErr(new PrintWriter(err));
    cl.setOut(new PrintWriter(new StringWriter()));
    List<String> args = new ArrayList<>(List.of(line.split(" +")));
    if (!line.startsWith("evaluate")) {
      args.addAll(List.of("--home", home.toString()));
    }
    int code = cl.execute(args.toArray(String[]::new));
    assertEquals(SegflowCommand.EXIT_INVALID_INPUT, code, err.toString());
    assertTrue(err.toString().contains(expected), err.toString());
  }

  @Test
  void splitsAreCopiedOnceAndADifferentExistingFileIsRefused(@TempDir Path dir) throws Exception {
    org.segflow.storage.SegflowPaths paths = org.segflow.storage.SegflowPaths.under(dir.resolve("home"));
    java.nio.file.Files.createDirectories(paths.raw().resolve("Dataset005_X"));
    java.nio.file.Files.createDirectories(paths.preprocessed().resolve("Dataset005_X"));
    Path mine = java.nio.file.Files.writeString(dir.resolve("mine.json"),
        "[{\"train\": [\"b\", \"a\"], \"val\": [\"c\"]}]");
    TrainCommand.installSplits(paths, "5", mine);
    Path target = paths.preprocessed().resolve("Dataset005_X/splits_final.json");
    assertEquals(List.of(new org.segflow.plan.FoldSplit(List.of("b", "a"), List.of("c"))),
        org.segflow.plan.CrossValidationSplits.read(target));
    Path same = java.nio.file.Files.writeString(dir.resolve("same.json"),
        "[{\"train\": [\"a\", \"b\"], \"val\": [\"c\"]}]");
    TrainCommand.installSplits(paths, "5", same);
    Path other = java.nio.file.Files.writeString(dir.resolve("other.json"),
        "[{\"train\": [\"a\", \"c\"], \"val\": [\"b\"]}]");
    org.segflow.InvalidInputException e = org.junit.jupiter.api.Assertions.assertThrows(
        org.segflow.InvalidInputException.class, () -> TrainCommand.installSplits(paths, "5", other));
    assertTrue(e.getMessage().contains("differs from --splits"), e.getMessage());
  }

  @Test
  void thePractitionersPlanLineRunsAsWritten(@TempDir Path dir) {
    String home = dir.resolve("home").toString();
    Path src = dir.resolve("src");
    assertEquals(0, SegflowCommand.commandLine().execute("sample", "--out", src.toString(), "--cases", "5",
        "--size", "48x48", "--seed", "2"));
    assertEquals(0, SegflowCommand.commandLine().execute("convert", src.toString(), "-d", "904", "--name", "P",
        "--home", home));
    assertEquals(0, SegflowCommand.commandLine().execute("plan_and_preprocess", "-d", "904",
        "--verify_dataset_integrity", "-c", "2d", "-np", "1", "--home", home));
    assertTrue(java.nio.file.Files.isRegularFile(dir.resolve("home/preprocessed/Dataset904_P/splits_final.json")));
  }

  /** nnU-Net's -device mps: accepted on Apple silicon, refused in one line on any other machine. */
  @ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.ValueSource(strings = {"train 1 2d 0 -device mps",
      "predict -i IN -o OUT -d 2 -device mps"})
  void mpsIsAcceptedOnAppleSiliconAndRefusedElsewhere(String line, @TempDir Path home) {
    StringWriter err = new StringWriter();
    CommandLine cl = SegflowCommand.commandLine();
    cl.setErr(new PrintWriter(err));
    cl.setOut(new PrintWriter(new StringWriter()));
    List<String> args = new ArrayList<>(List.of(line.split(" +")));
    args.addAll(List.of("--home", home.toString()));
    int code = cl.execute(args.toArray(String[]::new));
    assertEquals(SegflowCommand.EXIT_INVALID_INPUT, code, err.toString());
    if (org.segflow.net.NativePlatform.current().equals("osx-aarch64")) {
      // the device is accepted; the command then stops at the missing dataset
      assertTrue(!err.toString().contains("-device mps"), err.toString());
    } else {
      assertTrue(err.toString().contains("-device mps: MPS needs macOS on Apple silicon"), err.toString());
      assertEquals(1, err.toString().strip().lines().count(), err.toString());
    }
  }

  @Test
  void cudaWithoutACudaDeviceIsRefusedAtStart(@TempDir Path home) {
    assumeTrue(Engines.pytorch(2).getGpuCount() == 0, "this machine has a CUDA device");
    StringWriter err = new StringWriter();
    CommandLine cl = SegflowCommand.commandLine();
    cl.setErr(new PrintWriter(err));
    int code = cl.execute("train", "1", "2d", "0", "-device", "cuda", "--home", home.toString());
    assertEquals(SegflowCommand.EXIT_INVALID_INPUT, code, err.toString());
    assertTrue(err.toString().contains("-device cuda: DJL's PyTorch engine sees no CUDA device"), err.toString());
  }
}
