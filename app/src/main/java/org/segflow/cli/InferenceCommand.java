package org.segflow.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The inference workflows the Kafka bridge starts, one per arrived image; `segflow status ID` shows one. */
@Command(name = "inference", mixinStandardHelpOptions = true,
    description = "The inference workflows the bridge started for arrived images (infer-<dataset>-<sha256>).",
    subcommands = {RunList.Inferences.class})
final class InferenceCommand implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
