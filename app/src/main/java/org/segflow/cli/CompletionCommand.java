package org.segflow.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Prints the shell completion script picocli derives from the command tree, so subcommands, options
 * and the closed value sets (folds, devices, pools ...) complete without a file to keep in step.
 */
@Command(name = "completion", mixinStandardHelpOptions = true,
    description = {"Print the bash completion script (zsh reads it too, through bashcompinit).",
        "Load it in the current shell: source <(segflow completion); or save it to a file that "
            + "~/.bashrc or ~/.zshrc sources."})
final class CompletionCommand implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    System.out.print(script(spec.root().commandLine()));
  }

  /** The script for {@code root}, named after the command users type. */
  static String script(CommandLine root) {
    return AutoComplete.bash(root.getCommandName(), root);
  }
}
