package org.segflow.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.segflow.dataset.ConversionOptions;
import org.segflow.dataset.DatasetConverter;
import org.segflow.dataset.DatasetName;
import org.segflow.plan.PlanAndPreprocess;
import org.segflow.sample.FundusSampleGenerator;
import org.segflow.sample.SampleSpec;
import org.segflow.storage.SegflowPaths;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The README's first command: the pipeline end to end on the bundled synthetic sample. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run the pipeline end to end on the bundled synthetic fundus sample.")
final class DemoCommand implements Callable<Integer> {

  @Option(names = "--cases", defaultValue = "20", description = "Training cases. Default: ${DEFAULT-VALUE}.")
  int cases;

  @Option(names = "--size", defaultValue = "584x565", paramLabel = "HxW", description = "Default: ${DEFAULT-VALUE}.")
  String size;

  @Option(names = "--dataset", defaultValue = "1", description = "Dataset id. Default: ${DEFAULT-VALUE}.")
  int datasetId;

  @Mixin
  StorageOptions storage;

  @Override
  public Integer call() {
    SegflowPaths paths = storage.paths();
    int[] hw = SampleCommand.parseSize(size);
    SampleSpec spec = new SampleSpec(cases, Math.max(2, (cases + 1) / 2), hw[0], hw[1], 1);
    Path sample = paths.home().resolve("samples").resolve("fundus-" + cases + "-" + hw[0] + "x" + hw[1]);
    if (!Files.isDirectory(sample.resolve("crop_train"))) {
      step("sample", () -> FundusSampleGenerator.generate(sample, spec, true));
    }
    DatasetName name = new DatasetName(datasetId, "FundusSample");
    step("convert", () -> new DatasetConverter().convert(sample, paths.raw(), name, ConversionOptions.DEFAULTS));
    step("plan-and-preprocess", () -> new PlanAndPreprocess(paths, m -> System.out.println("  " + m))
        .run(name.folderName(), new PlanAndPreprocess.Options(true, 8, "nnUNetPlans", 2)));
    System.out.println("Data half done under " + paths.home());
    return 0;
  }

  private static void step(String name, Runnable r) {
    System.out.println("== " + name);
    long t0 = System.nanoTime();
    r.run();
    System.out.printf("   %s took %.1f s%n", name, (System.nanoTime() - t0) / 1e9);
  }
}
