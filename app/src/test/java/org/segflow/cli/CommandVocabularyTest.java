package org.segflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import org.segflow.predict.CaseOutputs;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** Every command speaks one option vocabulary, and its help says what each argument is. */
class CommandVocabularyTest {

  /** Every command under segflow, with its qualified name ("segflow models publish"). */
  static List<CommandSpec> commands() {
    List<CommandSpec> out = new ArrayList<>();
    collect(SegflowCommand.commandLine(), out);
    return out;
  }

  private static void collect(CommandLine cl, List<CommandSpec> out) {
    out.add(cl.getCommandSpec());
    cl.getSubcommands().values().stream().distinct().forEach(sub -> collect(sub, out));
  }

  static void eachOption(BiConsumer<CommandSpec, OptionSpec> check) {
    for (CommandSpec c : commands()) {
      c.options().forEach(o -> check.accept(c, o));
    }
  }

  @Test
  void everyOptionAndPositionalHasADescription() {
    List<String> missing = new ArrayList<>();
    for (CommandSpec c : commands()) {
      List<ArgSpec> args = new ArrayList<>(c.options());
      args.addAll(c.positionalParameters());
      for (ArgSpec a : args) {
        boolean standard = a instanceof OptionSpec o && (o.usageHelp() || o.versionHelp());
        // "Default: 5." alone says what the value is, not what it does
        boolean described = !String.join(" ", a.description()).replaceAll("Default: [^ ]*\\.?", "").isBlank();
        if (!standard && !described) {
          missing.add(c.qualifiedName() + " " + (a instanceof OptionSpec o ? o.longestName() : a.paramLabel()));
        }
      }
    }
    assertEquals(List.of(), missing, "options and positionals without a description");
  }

  @Test
  void foldsAreTakenWithDashFAndOneParser() {
    List<String> odd = new ArrayList<>();
    eachOption((c, o) -> {
      boolean takesFolds = o.converters().length > 0 && o.converters()[0] instanceof Folds.Token;
      Set<String> names = Set.of(o.names());
      if (takesFolds != names.contains("-f")) {
        odd.add(c.qualifiedName() + " " + o.longestName());
      }
      if (takesFolds && o.isMultiValue() && (!names.contains("--folds") || !",".equals(o.splitRegex()))) {
        odd.add(c.qualifiedName() + " " + o.longestName() + " (expected --folds, comma-separated)");
      }
    });
    assertEquals(List.of(), odd, "-f must be the folds, parsed by Folds.Token");
  }

  @Test
  void datasetIsDescribedByOneOfTheTwoSharedTexts() {
    List<String> odd = new ArrayList<>();
    eachOption((c, o) -> {
      if (Set.of(o.names()).contains("-d")) {
        String d = String.join(" ", o.description());
        if (!d.startsWith(DatasetArg.EXISTING) && !d.startsWith(DatasetArg.NEW_ID)
            && !c.name().equals("demo")) {
          odd.add(c.qualifiedName() + ": " + d);
        }
      }
    });
    assertEquals(List.of(), odd);
  }

  @Test
  void outputsArePlansAndThreadsMeanOneThing() {
    List<String> odd = new ArrayList<>();
    eachOption((c, o) -> {
      Set<String> names = Set.of(o.names());
      if ((names.contains("--output") || names.contains("--out")) && !names.contains("-o")) {
        odd.add(c.qualifiedName() + " " + o.longestName() + " lacks -o");
      }
      if (names.contains("-o") && !names.contains("--output")) {
        odd.add(c.qualifiedName() + " -o lacks --output");
      }
      if ((names.contains("--plans") || names.contains("--plans-name")) && !names.contains("-p")) {
        odd.add(c.qualifiedName() + " " + o.longestName() + " lacks -p");
      }
      if (names.contains("--threads") && !String.join(" ", o.description()).startsWith("CPU threads")) {
        odd.add(c.qualifiedName() + " --threads: " + String.join(" ", o.description()));
      }
    });
    assertEquals(List.of(), odd);
  }

  @Test
  void closedSetsOfferTheirValuesForCompletion() {
    List<String> odd = new ArrayList<>();
    Set<String> closed = Set.of("--channels", "--device", "--precision", "--pool", "--layout", "--checkpoint",
        "--configuration");
    eachOption((c, o) -> {
      for (String n : o.names()) {
        if (closed.contains(n) && o.completionCandidates() == null) {
          odd.add(c.qualifiedName() + " " + n);
        }
      }
    });
    assertEquals(List.of(), odd);
  }

  @Test
  void predictHelpNamesTheFilesPredictWrites() {
    String help = SegflowCommand.commandLine().getSubcommands().get("predict").getUsageMessage();
    assertTrue(help.contains(CaseOutputs.MASKS + "/CASE.png"), help);
    assertTrue(help.contains(CaseOutputs.OVERLAYS + "/CASE.png"), help);
    assertTrue(!help.contains("CASE_mask") && !help.contains("CASE_overlay"), help);
  }

  @Test
  void theCompletionScriptNamesEverySubcommand() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream saved = System.out;
    int code;
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      code = SegflowCommand.commandLine().execute("completion");
    } finally {
      System.setOut(saved);
    }
    assertEquals(0, code);
    String script = out.toString(StandardCharsets.UTF_8);
    assertTrue(script.startsWith("#!/usr/bin/env bash"), script.lines().findFirst().orElse(""));
    List<String> absent = new ArrayList<>();
    for (CommandSpec c : commands()) {
      for (String name : c.subcommands().keySet()) {
        if (!script.contains(name)) {
          absent.add(c.qualifiedName() + " " + name);
        }
      }
    }
    assertEquals(List.of(), absent, "subcommands the completion script does not name");
    assertTrue(script.contains("--folds") && script.contains("orchestrator"), "options and their values complete");
  }

  @Test
  void planAndPreprocessThreadsAreCpuThreadsWithNnUNetsNpAsAlias() {
    assertEquals(3, ((PlanAndPreprocessCommand) NnUNetCommandLinesTest.parse("plan-and-preprocess -d 1 -np 3 2"))
        .threads());
    assertEquals(org.segflow.net.Engines.threads(0),
        ((PlanAndPreprocessCommand) NnUNetCommandLinesTest.parse("plan-and-preprocess -d 1 --threads 0")).threads());
    assertEquals(PlanAndPreprocessCommand.DEFAULT_THREADS,
        ((PlanAndPreprocessCommand) NnUNetCommandLinesTest.parse("plan-and-preprocess -d 1")).threads());
    assertEquals("MyPlans", ((PlanAndPreprocessCommand) NnUNetCommandLinesTest.parse(
        "plan-and-preprocess -d 1 -p MyPlans")).plansName);
    assertEquals("MyPlans", ((PlanAndPreprocessCommand) NnUNetCommandLinesTest.parse(
        "plan-and-preprocess -d 1 --plans-name MyPlans")).plansName);
  }

  @Test
  void sampleTakesDashOAndKeepsOut() {
    assertEquals(java.nio.file.Path.of("D"), ((SampleCommand) NnUNetCommandLinesTest.parse("sample -o D")).out);
    assertEquals(java.nio.file.Path.of("D"), ((SampleCommand) NnUNetCommandLinesTest.parse("sample --out D")).out);
  }
}
