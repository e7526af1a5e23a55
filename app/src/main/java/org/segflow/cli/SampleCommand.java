package org.segflow.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.segflow.sample.FundusSampleGenerator;
import org.segflow.sample.SampleSpec;
import org.segflow.sample.SampleStatistics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "sample", mixinStandardHelpOptions = true,
    description = "Generate a deterministic synthetic fundus dataset in the users' layout "
        + "(crop_train/<n>/{image,label,mask}.png, crop_test/...).")
final class SampleCommand implements Callable<Integer> {

  @Option(names = {"-o", "--output", "--out"}, required = true, paramLabel = "DIR", description = "Output folder (must be new or empty).")
  Path out;

  @Option(names = "--cases", defaultValue = "20", description = "Training cases. Default: ${DEFAULT-VALUE}.")
  int cases;

  @Option(names = "--test-cases", description = "Test cases (default: half the training cases, at least 2).")
  Integer testCases;

  @Option(names = "--size", defaultValue = "584x565", paramLabel = "HxW",
      description = "Image size, height x width. Default: ${DEFAULT-VALUE} (DRIVE).")
  String size;

  @Option(names = "--seed", defaultValue = "1", description = "Random seed. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(names = "--overwrite", description = "Replace an existing output folder.")
  boolean overwrite;

  @Option(names = "--stats", description = "Afterwards, print what the training cases look like (vessel share, "
      + "gray and RGB levels of background and vessels, vessel widths, components, field of view), one row per "
      + "case and their mean, to compare with real photographs measured the same way.")
  boolean stats;

  @Override
  public Integer call() {
    int[] hw = parseSize(size);
    int test = testCases != null ? testCases : Math.max(2, (cases + 1) / 2);
    SampleSpec spec = new SampleSpec(cases, test, hw[0], hw[1], seed);
    long t0 = System.nanoTime();
    FundusSampleGenerator.generate(out, spec, overwrite);
    System.out.printf("Wrote %d training and %d test cases of %dx%d to %s in %.1f s%n", cases, test,
        hw[0], hw[1], out.toAbsolutePath(), (System.nanoTime() - t0) / 1e9);
    if (stats) {
      System.out.print(SampleStatistics.table(SampleStatistics.measureAll(out.resolve("crop_train"))));
    }
    return 0;
  }

  static int[] parseSize(String s) {
    String[] parts = s.toLowerCase(java.util.Locale.ROOT).split("x");
    try {
      if (parts.length == 2) {
        int h = Integer.parseInt(parts[0].trim());
        int w = Integer.parseInt(parts[1].trim());
        if (h >= 32 && w >= 32) {
          return new int[] {h, w};
        }
      }
    } catch (NumberFormatException ignored) {
      // fall through to the error below
    }
    throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(new SampleCommand()),
        "--size must be HxW with both at least 32, e.g. 584x565; got '" + s + "'");
  }
}
