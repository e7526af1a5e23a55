package org.segflow.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.segflow.InvalidInputException;
import org.segflow.dataset.DatasetJson;
import org.segflow.dataset.DatasetLabels;
import org.segflow.dataset.RawDataset;
import org.segflow.evaluate.ReferenceSet;
import org.segflow.findbest.EvaluationSetup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * nnUNetv2_evaluate_folder with its own argument order (references first), beside {@code segflow evaluate
 * PRED REF}: the command's name, never the presence of an option, decides which folder is which.
 */
@Command(name = "evaluate_folder", mixinStandardHelpOptions = true,
    description = {"nnUNetv2_evaluate_folder as given: GT_FOLDER PRED_FOLDER -djfile dataset.json -pfile "
        + "plans.json [-o summary.json] [--chill]. Note the order: references first (segflow evaluate takes PRED "
        + "REF). Writes nnU-Net's summary.json (default PRED_FOLDER/summary.json).",
        "Labels and the file ending come from -djfile; every reference needs a prediction unless --chill."})
final class EvaluateFolderCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "GT_FOLDER", description = "Reference label images (e.g. labelsTs/).")
  Path references;

  @Parameters(index = "1", paramLabel = "PRED_FOLDER", description = "Predicted label images.")
  Path predictions;

  @Option(names = "-djfile", required = true, paramLabel = "FILE",
      description = "dataset.json: the labels (and ignore label) and file_ending to score.")
  Path datasetJson;

  @Option(names = "-pfile", required = true, paramLabel = "FILE",
      description = "plans.json (nnU-Net reads its image reader from it); segflow checks it exists and reads "
          + "PNG either way.")
  Path plansJson;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE",
      description = "Where the summary (nnU-Net's summary.json) goes. Default: PRED_FOLDER/summary.json.")
  Path output;

  @Option(names = "-np", paramLabel = "N", description = "nnU-Net's processes: accepted; segflow scores in this "
      + "process.")
  Integer processes;

  @Option(names = "--chill", description = "Score the predictions present even when references have none "
      + "(nnU-Net: do not crash on missing predictions).")
  boolean chill;

  /** Labels, ignore label and file ending from -djfile. */
  EvaluationSetup setup() {
    if (!Files.isRegularFile(plansJson)) {
      throw new InvalidInputException(plansJson, "-pfile: no such file");
    }
    DatasetJson json = RawDataset.readJson(datasetJson);
    DatasetLabels labels = DatasetLabels.of(json);
    String ending = json.fileEnding() != null ? json.fileEnding() : EvaluationSetup.DEFAULT_ENDING;
    return new EvaluationSetup(labels.foregroundLabels(),
        labels.hasIgnoreLabel() ? OptionalInt.of(labels.ignoreLabel()) : OptionalInt.empty(), ending,
        datasetJson.toString());
  }

  /** References (files with the ending directly in GT_FOLDER) that have no prediction. */
  static List<String> missingPredictions(Path references, Path predictions, String ending) {
    if (!Files.isDirectory(references)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(references)) {
      return files.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(ending) && Files.isRegularFile(references.resolve(n)))
          .filter(n -> !Files.isRegularFile(predictions.resolve(n)))
          .sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public Integer call() {
    EvaluationSetup setup = setup();
    if (!chill) {
      List<String> missing = missingPredictions(references, predictions, setup.fileEnding());
      if (!missing.isEmpty()) {
        throw new InvalidInputException(predictions, missing.size() + " reference(s) have no prediction ("
            + String.join(", ", missing.subList(0, Math.min(5, missing.size())))
            + (missing.size() > 5 ? ", ..." : "") + "); add --chill to score the predictions present");
      }
    }
    EvaluateCommand.write(predictions, ReferenceSet.find(references, null), setup, null, output);
    return 0;
  }
}
