package org.segflow.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.segflow.ensemble.EvaluationSetup;
import org.segflow.evaluate.Summary;
import org.segflow.evaluate.SummaryJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
    description = {"Score a folder of predicted label images against references of the same names and write "
        + "nnU-Net's summary.json (nnUNetv2_evaluate_folder), with Dice inside the field of view when masks "
        + "are given.",
        "Labels: --labels, else dataset.json in PRED, else dataset.json in REF's parent folder, else every "
        + "non-zero value found in the images."})
final class EvaluateCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "PRED", description = "Folder of predicted label images.")
  Path predictions;

  @Parameters(index = "1", paramLabel = "REF", description = "Folder of reference label images.")
  Path references;

  @Option(names = "--mask-dir", paramLabel = "DIR", description = "Field-of-view masks (non-zero = inside).")
  Path maskDir;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Default: PRED/summary.json.")
  Path output;

  @Option(names = {"-l", "--labels"}, split = ",", paramLabel = "L",
      description = "Foreground labels, e.g. 1,2.")
  List<Integer> labels = List.of();

  @Option(names = "--file-ending", description = "Default: dataset.json's file_ending, else .png.")
  String fileEnding;

  @Override
  public Integer call() {
    EvaluationSetup setup = EvaluationSetup.resolve(predictions, references, labels, fileEnding);
    Summary summary = setup.evaluate(predictions, references, maskDir);
    Path file = output != null ? output : predictions.resolve("summary.json");
    SummaryJson.write(file, summary);
    System.out.printf("%d cases, labels %s (from %s)%n", summary.cases().size(), setup.labels(), setup.source());
    System.out.printf("Foreground mean Dice: %.4f%n", summary.foregroundMeanDice());
    if (summary.hasFov()) {
      System.out.printf("Foreground mean Dice inside the field of view: %.4f%n",
          summary.fovForegroundMean().dice());
    }
    System.out.println("Written: " + file);
    return 0;
  }
}
