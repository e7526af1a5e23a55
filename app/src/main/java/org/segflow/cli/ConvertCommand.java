package org.segflow.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.segflow.dataset.ConversionOptions;
import org.segflow.dataset.ConversionResult;
import org.segflow.dataset.DatasetConverter;
import org.segflow.dataset.DatasetName;
import org.segflow.dataset.SourceLayout;
import org.segflow.storage.SegflowPaths;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "convert", mixinStandardHelpOptions = true,
    description = {"Convert a source dataset into nnU-Net's raw layout (imagesTr, labelsTr, imagesTs, "
        + "masksTr/masksTs, dataset.json, manifest.json).",
        "SRC is the users' layout (crop_train/<n>/{image,label,mask}.png, crop_test/...), a folder with "
            + "images/ and labels/ (and masks/), an nnU-Net raw folder, or a public release as "
            + "distributed: DRIVE, CHASE_DB1, STARE or HRF. The layout is detected; --layout names it."})
final class ConvertCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "SRC", description = "Source dataset folder.")
  Path source;

  @Option(names = {"-d", "--dataset"}, required = true, paramLabel = "ID", description = DatasetArg.NEW_ID)
  int id;

  @Option(names = "--name", required = true, description = "Dataset name, e.g. CHASEDB1.")
  String name;

  @Option(names = "--channels", defaultValue = "gray", completionCandidates = Choices.Channels.class,
      description = "gray (PIL luma, one channel) or rgb (one RGB file declared as 3 channels). Default: ${DEFAULT-VALUE}.")
  String channels;

  @Option(names = "--channel-name", defaultValue = "CT",
      description = "Channel name for gray data; it selects nnU-Net's normalization. Default: ${DEFAULT-VALUE}.")
  String channelName;

  @Option(names = "--label-name", defaultValue = "vessel", description = "Name of label 1. Default: ${DEFAULT-VALUE}.")
  String labelName;

  @Option(names = "--layout", paramLabel = "LAYOUT", completionCandidates = Choices.Layouts.class,
      description = "Source layout: ${COMPLETION-CANDIDATES}. Default: detected.")
  String layout;

  @Mixin
  StorageOptions storage;

  @Override
  public Integer call() {
    SegflowPaths paths = storage.paths();
    ConversionOptions options = ConversionOptions.DEFAULTS
        .withChannels(ConversionOptions.Channels.parse(channels))
        .withChannelName(channelName)
        .withLabelName(labelName);
    long t0 = System.nanoTime();
    SourceLayout sourceLayout = layout == null ? null : SourceLayout.parse(layout);
    ConversionResult r = new DatasetConverter(DatasetConverter.DEFAULT_THREADS, System.out::println).convert(source,
        sourceLayout, paths.raw(),
        new DatasetName(id, name), options);
    System.out.printf("Converted %s (%s layout): %d training cases, %d test cases%s -> %s in %.1f s%s%n",
        r.name().folderName(), r.layout(), r.numTraining(), r.numTest(),
        r.testLabels() ? " with labels" : "", r.dir(), (System.nanoTime() - t0) / 1e9,
        r.warnings().isEmpty() ? "" : "; " + r.warnings().size() + " warning(s) logged above (WARN)");
    for (String note : r.manifest().notes()) {
      System.out.println("  note: " + note + " (recorded in manifest.json)");
    }
    return 0;
  }
}
