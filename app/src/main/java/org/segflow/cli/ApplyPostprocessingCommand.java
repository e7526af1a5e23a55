package org.segflow.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.segflow.postprocess.Postprocessing;
import org.segflow.postprocess.PostprocessingFolders;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "apply-postprocessing", mixinStandardHelpOptions = true,
    description = "Apply the postprocessing chosen by find-best (postprocessing.json) to a folder of label "
        + "images (nnUNetv2_apply_postprocessing).")
final class ApplyPostprocessingCommand implements Callable<Integer> {

  @Option(names = {"-i", "--input"}, required = true, description = "Folder of predicted label images.")
  Path input;

  @Option(names = {"-o", "--output"}, required = true, description = "Output folder.")
  Path output;

  @Option(names = {"-pp", "--postprocessing"}, required = true, paramLabel = "FILE",
      description = "postprocessing.json written by find-best.")
  Path postprocessingFile;

  @Option(names = "--plans-json", description = "Accepted for nnU-Net compatibility; not needed for PNG.")
  Path plansJson;

  @Option(names = "--file-ending", defaultValue = ".png", description = "Default: ${DEFAULT-VALUE}.")
  String fileEnding;

  @Override
  public Integer call() {
    Postprocessing pp = Postprocessing.read(postprocessingFile);
    List<String> names = PostprocessingFolders.apply(input, output, pp, fileEnding);
    System.out.println("Postprocessed " + names.size() + " label images into " + output);
    return 0;
  }
}
