package org.segflow.cli;

import org.segflow.InvalidInputException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code segflow} command: one jar, many subcommands, like the Temporal or Kafka binaries. */
@Command(name = "segflow", mixinStandardHelpOptions = true, version = org.segflow.SegflowVersion.VERSION,
    description = "Durable nnU-Net-style medical image segmentation.",
    subcommands = {CommandLine.HelpCommand.class, DemoCommand.class, SampleCommand.class, ConvertCommand.class,
        PlanAndPreprocessCommand.class, TrainCommand.class, PredictCommand.class, FindBestCommand.class, EnsembleCommand.class,
        EvaluateCommand.class, EvaluateFolderCommand.class, ApplyPostprocessingCommand.class, BenchCommand.class, ServerCommand.class,
        WorkerCommand.class, DevCommand.class, PipelineCommand.class, StatusCommand.class, CancelCommand.class,
        KafkaCommand.class, BridgeCommand.class, WatchCommand.class, ModelsCommand.class})
public final class SegflowCommand implements Runnable {

  /** Exit status for input that can never succeed as given (nothing was written). */
  public static final int EXIT_INVALID_INPUT = 2;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new SegflowCommand());
    cl.setExecutionExceptionHandler((ex, line, parsed) -> {
      if (ex instanceof InvalidInputException) {
        line.getErr().println(line.getColorScheme().errorText("error: " + ex.getMessage()));
        return EXIT_INVALID_INPUT;
      }
      throw ex;
    });
    return cl;
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}
