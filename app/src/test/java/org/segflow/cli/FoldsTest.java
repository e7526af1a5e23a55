package org.segflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** -f/--folds: one spelling and one parser in every command that takes several folds. */
class FoldsTest {

  /** The innermost command's object after picocli parsed {@code line} (nothing runs). */
  static Object parse(String line) {
    CommandLine.ParseResult r = SegflowCommand.commandLine().parseArgs(line.split(" +"));
    while (r.hasSubcommand()) {
      r = r.subcommand();
    }
    return r.commandSpec().userObject();
  }

  @ParameterizedTest
  @ValueSource(strings = {"-f 0 1", "-f 0,1", "--folds 0,1", "--folds 0 1", "-f 0, 1", "-f 0 1 1"})
  void spacesAndCommasGiveTheSameFoldsEverywhere(String folds) {
    String f = folds.replace(", ", ",");
    assertEquals(List.of(0, 1), ((FindBestCommand) parse("find-best 2 " + f)).folds());
    assertEquals(List.of(0, 1), Folds.crossValidation(((PipelineCommand.Run) parse("pipeline run SRC -d 4 --name X "
        + f)).folds, "test"));
    assertEquals(List.of(0, 1), Folds.crossValidation(((DemoCommand) parse("demo " + f)).folds, "test"));
    List<String> predicted = ((PredictCommand) parse("predict -i IN -o OUT -d 2 " + f)).folds;
    assertEquals(List.of("0", "1"), predicted.stream().distinct().toList());
    assertEquals(List.of("0", "1"), ((ModelsCommand.Publish) parse("models publish -d 2 " + f)).folds.stream()
        .distinct().toList());
  }

  @Test
  void allIsNnUNetsFoldAllWhereAModelIsChosen() {
    assertEquals(List.of("all"), ((PredictCommand) parse("predict -i IN -o OUT -d 2 -f all")).folds);
    assertEquals(List.of("all"), ((ModelsCommand.Publish) parse("models publish -d 2 -f ALL")).folds);
    assertEquals("all", ((TrainCommand) parse("train -d 2 -f all")).fold());
  }

  @Test
  void theOldSpellingsStay() {
    assertEquals(List.of("0", "1"), ((PipelineCommand.Run) parse("pipeline run SRC -d 4 --name X --folds 0,1")).folds);
    assertEquals(List.of("0", "1"), ((PipelineCommand.Run) parse("pipeline run --folds 0,1 SRC -d 4 --name X")).folds,
        "a variable-arity --folds stops at a value that is no fold");
    assertEquals(List.of(0, 1, 2, 3, 4), ((FindBestCommand) parse("find-best 2")).folds());
    assertEquals(List.of("0"), ((DemoCommand) parse("demo")).folds);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "find-best 2 -f all --home /nonexistent-segflow-home|find-best merges the cross-validation folds",
      "pipeline run SRC -d 4 --name X --folds 0,all --temporal 127.0.0.1:1|the pipeline trains cross-validation "
          + "folds"})
  void foldAllIsRefusedByNameWhereOnlyCrossValidationFoldsMakeSense(String line, String why) {
    StringWriter err = new StringWriter();
    CommandLine cl = SegflowCommand.commandLine();
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(line.split(" "));
    assertEquals(ExitStatus.INVALID_INPUT, code, err.toString());
    assertTrue(err.toString().contains("fold all is not accepted here: " + why), err.toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"predict -i IN -o OUT -d 2 -f 5", "find-best 2 -f 0,7", "train -d 2 -f 9",
      "models publish -d 2 -f x"})
  void aFoldOutOfRangeIsAUsageErrorNamingTheAcceptedValues(String line) {
    StringWriter err = new StringWriter();
    CommandLine cl = SegflowCommand.commandLine();
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(line.split(" "));
    assertEquals(ExitStatus.USAGE, code, err.toString());
    assertTrue(err.toString().contains("expected 0, 1, 2, 3, 4 or all"), err.toString());
  }
}
