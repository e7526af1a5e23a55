package org.segflow.cli;

import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code segflow} command: one jar, many subcommands, like the Temporal or Kafka binaries. */
@Command(name = "segflow", mixinStandardHelpOptions = true, version = org.segflow.SegflowVersion.VERSION,
    description = "Durable nnU-Net-style medical image segmentation.",
    exitCodeListHeading = "%nExit codes:%n", exitCodeList = {
        "0:Done.",
        "1:Failed (a workflow failed, an unexpected error).",
        "2:Usage error: an unknown option, a missing or malformed argument.",
        "3:Invalid input: a file, dataset, model or workflow id that cannot work as given; a run name in use.",
        "4:A service is unreachable: the Temporal frontend or the Kafka brokers."},
    subcommands = {CommandLine.HelpCommand.class, DemoCommand.class, SampleCommand.class, ConvertCommand.class,
        PlanAndPreprocessCommand.class, TrainCommand.class, PredictCommand.class, FindBestCommand.class, EnsembleCommand.class,
        EvaluateCommand.class, EvaluateFolderCommand.class, ApplyPostprocessingCommand.class, BenchCommand.class, ServerCommand.class,
        WorkerCommand.class, DevCommand.class, PipelineCommand.class, StatusCommand.class, CancelCommand.class,
        KafkaCommand.class, BridgeCommand.class, WatchCommand.class, ModelsCommand.class, InferenceCommand.class,
        CompletionCommand.class})
public final class SegflowCommand implements Runnable {

  /** Exit status for input that can never succeed as given (nothing was written). */
  public static final int EXIT_INVALID_INPUT = ExitStatus.INVALID_INPUT;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--verbose", description = "On an error, print the Java stack trace after the one-line message "
      + "(also with the environment variable SEGFLOW_VERBOSE=1).")
  boolean verbose;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static CommandLine commandLine() {
    return commandLine(System.getenv());
  }

  /** The command line with {@code env} as the environment (TEMPORAL_ADDRESS ..., SEGFLOW_VERBOSE). */
  static CommandLine commandLine(Map<String, String> env) {
    CommandLine cl = new CommandLine(new SegflowCommand());
    ExitStatus status = new ExitStatus(env);
    cl.setExecutionExceptionHandler(status);
    cl.setParameterExceptionHandler(status);
    cl.setExitCodeExceptionMapper(status);
    cl.setDefaultValueProvider(new TemporalOptions.Environment(env));
    return cl;
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}
