package org.segflow.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.segflow.InvalidInputException;
import org.segflow.evaluate.ReferenceSet;
import org.segflow.evaluate.Summary;
import org.segflow.evaluate.SummaryJson;
import org.segflow.findbest.EvaluationSetup;
import org.segflow.storage.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
    description = {"Score a folder of predicted label images against references and write nnU-Net's "
        + "summary.json (nnUNetv2_evaluate_folder), with Dice inside the field of view when masks are given.",
        "REF: the users' layout (crop_test/<n>/label.png, 0/255 or 0/1, with mask.png as the field of view; "
        + "REF may be the folder holding crop_test/), a labels/ + masks/ folder pair, or an nnU-Net labels "
        + "folder (labelsTs/) of files named as the predictions, masks from --mask-dir.",
        "Labels: --labels, else dataset.json in PRED, else dataset.json in REF's parent folder, else every "
        + "non-zero value found in the images."})
final class EvaluateCommand implements Callable<Integer> {

  /** summary.json's record of the reference layout and field of view scored against. */
  static final String REFERENCE_SECTION = "segflow_reference";

  @Parameters(index = "0", paramLabel = "PRED", description = "Folder of predicted label images.")
  Path predictions;

  @Parameters(index = "1", paramLabel = "REF",
      description = "References: users' layout, labels/ + masks/, or nnU-Net labels folder.")
  Path references;

  @Option(names = "--mask-dir", paramLabel = "DIR",
      description = "Field-of-view masks (non-zero = inside); not with the users' layout, which has its own.")
  Path maskDir;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE",
      description = "Where the summary (nnU-Net's summary.json) goes. Default: PRED/summary.json.")
  Path output;

  @Option(names = {"-l", "--labels"}, split = ",", paramLabel = "L",
      description = "Foreground labels, e.g. 1,2.")
  List<Integer> labels = List.of();

  @Option(names = "--file-ending", description = "Default: dataset.json's file_ending, else .png.")
  String fileEnding;

  @Option(names = "-djfile", hidden = true, description = "evaluate_folder's dataset.json: refused here with a "
      + "pointer to segflow evaluate_folder.")
  Path nnUNetDatasetJson;

  @Option(names = "-pfile", hidden = true, description = "evaluate_folder's plans.json: as -djfile.")
  Path nnUNetPlansJson;

  @Override
  public Integer call() {
    if (nnUNetDatasetJson != null || nnUNetPlansJson != null) {
      throw new InvalidInputException("-djfile/-pfile are nnUNetv2_evaluate_folder's form, whose order is GT_FOLDER "
          + "PRED_FOLDER: run segflow evaluate_folder GT PRED -djfile FILE -pfile FILE (segflow evaluate takes PRED "
          + "REF)");
    }
    ReferenceSet reference = ReferenceSet.find(references, maskDir);
    EvaluationSetup setup = EvaluationSetup.resolve(predictions, references, labels, fileEnding);
    write(predictions, reference, setup, maskDir, output);
    return 0;
  }

  /** Scores PRED against the references, writes summary.json (default PRED/summary.json) and reports. */
  static void write(Path predictions, ReferenceSet reference, EvaluationSetup setup, Path maskDir, Path output) {
    Summary summary = setup.evaluate(predictions, reference, maskDir);
    Path file = output != null ? output : predictions.resolve("summary.json");
    Map<String, Object> json = SummaryJson.toJson(summary);
    Map<String, Object> used = new LinkedHashMap<>();
    used.put("layout", reference.layout().name().toLowerCase(Locale.ROOT));
    used.put("path", reference.root().toAbsolutePath().normalize().toString());
    used.put("fov", reference.fov());
    json.put(REFERENCE_SECTION, used);
    Json.write(file, json);
    System.out.printf("Reference: %s, %s%n", reference.layout().description(), reference.root());
    System.out.printf("Field of view: %s%n", reference.fov());
    System.out.printf("%d cases, labels %s (from %s)%n", summary.cases().size(), setup.labels(), setup.source());
    System.out.printf("Foreground mean Dice: %.4f%n", summary.foregroundMeanDice());
    if (summary.hasFov()) {
      System.out.printf("Foreground mean Dice inside the field of view: %.4f (whole image above)%n",
          summary.fovForegroundMean().dice());
    }
    System.out.println("Written: " + file);
  }
}
