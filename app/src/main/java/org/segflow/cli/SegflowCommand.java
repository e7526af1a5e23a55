package org.segflow.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code segflow} command: one jar, many subcommands, like the Temporal or Kafka binaries. */
@Command(name = "segflow", mixinStandardHelpOptions = true, version = "segflow 0.1.0",
    description = "Durable nnU-Net-style medical image segmentation.",
    subcommands = {CommandLine.HelpCommand.class})
public final class SegflowCommand implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new SegflowCommand()).execute(args));
  }
}
