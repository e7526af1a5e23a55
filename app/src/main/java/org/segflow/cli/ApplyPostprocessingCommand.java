package org.segflow.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.segflow.InvalidInputException;
import org.segflow.postprocess.Postprocessing;
import org.segflow.postprocess.PostprocessingFolders;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "apply-postprocessing", aliases = "apply_postprocessing", mixinStandardHelpOptions = true,
    description = {"Apply the postprocessing chosen by find-best (postprocessing.json) to a folder of label "
        + "images (nnUNetv2_apply_postprocessing; -i IN -o OUT -pp_pkl_file FILE [-np N] [-plans_json F] "
        + "[-dataset_json F] works as given)."})
final class ApplyPostprocessingCommand implements Callable<Integer> {

  /** The file find-best writes in place of nnU-Net's postprocessing.pkl. */
  static final String POSTPROCESSING_JSON = "postprocessing.json";

  @Option(names = {"-i", "--input"}, required = true, description = "Folder of predicted label images.")
  Path input;

  @Option(names = {"-o", "--output"}, required = true, description = "Output folder.")
  Path output;

  @Option(names = {"-pp", "--postprocessing", "-pp_pkl_file"}, required = true, paramLabel = "FILE",
      description = "postprocessing.json written by find-best; nnU-Net's postprocessing.pkl stands for the "
          + "postprocessing.json beside it (segflow writes no pickle).")
  Path postprocessingFile;

  @Option(names = {"--plans-json", "-plans_json"}, description = "Accepted for nnU-Net compatibility; not "
      + "needed for PNG.")
  Path plansJson;

  @Option(names = "-dataset_json", paramLabel = "FILE",
      description = "nnU-Net's dataset.json: its file_ending is used unless --file-ending is given.")
  Path datasetJson;

  @Option(names = "-np", paramLabel = "N", description = "nnU-Net's processes: accepted; segflow works in this "
      + "process.")
  Integer processes;

  @Option(names = "--file-ending", description = "Default: -dataset_json's file_ending, else .png.")
  String fileEnding;

  /** The postprocessing file to read: a .pkl path means the postprocessing.json beside it. */
  Path postprocessingJson() {
    Path f = postprocessingFile;
    if (f.getFileName() != null && f.getFileName().toString().endsWith(".pkl")) {
      Path json = f.resolveSibling(POSTPROCESSING_JSON);
      if (!Files.isRegularFile(json)) {
        throw new InvalidInputException(f, "segflow reads no pickle and there is no " + POSTPROCESSING_JSON
            + " beside it (find-best writes one there)");
      }
      return json;
    }
    return f;
  }

  /** --file-ending, else the file_ending of -dataset_json, else .png. */
  String fileEnding() {
    if (fileEnding != null) {
      return fileEnding;
    }
    if (datasetJson != null) {
      String e = org.segflow.dataset.RawDataset.readJson(datasetJson).fileEnding();
      if (e != null) {
        return e;
      }
    }
    return ".png";
  }

  @Override
  public Integer call() {
    Postprocessing pp = Postprocessing.read(postprocessingJson());
    List<String> names = PostprocessingFolders.apply(input, output, pp, fileEnding());
    System.out.println("Postprocessed " + names.size() + " label images into " + output);
    return 0;
  }
}
