package org.segflow.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.segflow.predict.ProbabilityEnsembler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "ensemble", mixinStandardHelpOptions = true,
    description = {"Average the probabilities (CASE.npz, key 'probabilities') of several prediction folders "
        + "and write the argmax label maps (nnUNetv2_ensemble; -i DIR1 DIR2 -o OUT [--save_npz] [-np N] "
        + "works as given). Every folder must hold the same cases."})
final class EnsembleCommand implements Callable<Integer> {

  @Option(names = {"-i", "--input"}, required = true, arity = "2..*", paramLabel = "DIR",
      description = "Prediction folders written with --save-probabilities.")
  List<Path> inputs;

  @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR", description = "Output folder.")
  Path output;

  @Option(names = {"--save-probabilities", "--save_npz"},
      description = "Also write the averaged probabilities as CASE.npz.")
  boolean saveProbabilities;

  @Option(names = "-np", paramLabel = "N", description = "nnU-Net's processes: accepted; segflow ensembles in "
      + "this process.")
  Integer processes;

  @Override
  public Integer call() {
    List<String> cases = ProbabilityEnsembler.ensemble(inputs, output, saveProbabilities);
    System.out.printf("Ensembled %d cases of %d folders into %s%n", cases.size(), inputs.size(), output);
    return 0;
  }
}
