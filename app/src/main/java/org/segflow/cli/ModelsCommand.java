package org.segflow.cli;

import java.nio.file.Files;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.segflow.net.Engines;
import org.segflow.plan.ExperimentPlanner;
import org.segflow.predict.ModelFiles;
import org.segflow.registry.ModelRegistry;
import org.segflow.registry.ModelVersion;
import org.segflow.trust.TrustCalibration;
import org.segflow.trust.TrustProfile;
import org.segflow.trust.TrustProfiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "models", mixinStandardHelpOptions = true,
    description = "Published model versions (results/DatasetNNN_Name/models/): the one promoted segments arriving"
        + " images.",
    subcommands = {ModelsCommand.ListVersions.class, ModelsCommand.Publish.class, ModelsCommand.Promote.class,
        ModelsCommand.Calibrate.class})
final class ModelsCommand {

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the dataset's versions; * = promoted.")
  static final class ListVersions implements Callable<Integer> {
    @Option(names = {"-d", "--dataset"}, required = true) String dataset;
    @Mixin StorageOptions storage;

    @Override
    public Integer call() {
      ModelRegistry registry = new ModelRegistry(storage.paths());
      Optional<String> promoted = registry.promoted(dataset).map(ModelVersion::version);
      List<ModelVersion> versions = registry.list(dataset);
      if (versions.isEmpty()) {
        System.out.println("no published model for " + dataset + ": segflow models publish -d " + dataset);
      }
      TrustProfiles profiles = new TrustProfiles(storage.paths());
      for (ModelVersion v : versions) {
        System.out.printf(Locale.ROOT, "%s %-4s %s %s folds %s %s postprocessing %s TTA %s crossval Dice %s%n",
            promoted.filter(v.version()::equals).isPresent() ? "*" : " ", v.version(), v.dataset(),
            v.configuration(), String.join(",", v.folds()), v.checkpoint(), v.postprocessing() == null ? "none" : "yes",
            v.tta() ? "on" : "off", v.crossvalDice() == null ? "-" : String.format(Locale.ROOT, "%.4f", v.crossvalDice()));
        // published before trust profiles existed: images are segmented but neither scored nor flagged
        System.out.println("       " + (Files.isRegularFile(profiles.file(v))
            ? TrustSummary.of(profiles.of(v).orElseThrow())
            : "trust: no profile, images not scored (segflow models calibrate -d " + dataset + " " + v.version()
                + ")"));
      }
      return 0;
    }
  }

  @Command(name = "publish", mixinStandardHelpOptions = true,
      description = "Publish the trained folds as a new version (the same files again: the existing version).")
  static final class Publish implements Callable<Integer> {
    @Option(names = {"-d", "--dataset"}, required = true) String dataset;
    @Option(names = {"-c", "--configuration"}, defaultValue = "2d") String configuration;
    @Option(names = {"-p", "--plans"}, defaultValue = ExperimentPlanner.DEFAULT_PLANS_NAME) String plans;
    @Option(names = {"-f", "--folds"}, split = ",", description = "Default: 0,1,2,3,4.") List<String> folds;
    @Option(names = "--checkpoint", defaultValue = "final", description = "final or best.") String checkpoint;
    @Option(names = "--promote", description = "Promote it at once.") boolean promote;
    @Option(names = "--disable-tta", description = "Segment arriving images without test-time mirroring "
        + "(about 3.5x faster, slightly less accurate); nnU-Net's default mirrors.") boolean disableTta;
    @Mixin StorageOptions storage;

    @Override
    public Integer call() {
      ModelRegistry registry = new ModelRegistry(storage.paths());
      ModelVersion v = registry.publish(new ModelRegistry.Publication(dataset, configuration, plans,
          folds == null ? List.of() : folds, ModelFiles.CheckpointChoice.parse(checkpoint), !disableTta));
      if (promote) {
        registry.promote(dataset, v.version());
      }
      TrustProfiles profiles = new TrustProfiles(storage.paths());
      if (!Files.isRegularFile(profiles.file(v))) {
        try {
          System.out.println(TrustSummary.of(new TrustCalibration(storage.paths()).calibrate(v,
              Engines.device("cpu", Engines.pytorch(0)))));
        } catch (RuntimeException e) {
          // the version still segments, unscored; calibrate can be rerun once the cause is fixed
          System.err.println("warning: no trust profile for " + v.version() + ", its images will not be scored: "
              + e.getMessage());
        }
      }
      System.out.println("published " + v.dataset() + " " + v.version()
          + (registry.promoted(dataset).map(ModelVersion::version).filter(v.version()::equals).isPresent()
              ? " (promoted)" : "; promote with: segflow models promote -d " + dataset + " " + v.version()));
      return 0;
    }
  }

  @Command(name = "calibrate", mixinStandardHelpOptions = true,
      description = "Compute VERSION's trust profile (drift and confidence thresholds from the cross-validation"
          + " images and outputs), e.g. for a version published before profiles existed. Runs each fold's"
          + " network on its validation cases.")
  static final class Calibrate implements Callable<Integer> {
    @Option(names = {"-d", "--dataset"}, required = true) String dataset;
    @Parameters(index = "0", paramLabel = "VERSION") String version;
    @Option(names = "--threads", defaultValue = "0", description = "PyTorch threads (0: its default).") int threads;
    @Mixin StorageOptions storage;

    @Override
    public Integer call() {
      ModelVersion v = new ModelRegistry(storage.paths()).version(dataset, version);
      TrustProfile p = new TrustCalibration(storage.paths()).calibrate(v, Engines.device("cpu",
          Engines.pytorch(threads)));
      System.out.println("calibrated " + v.dataset() + " " + v.version() + ": " + TrustSummary.of(p));
      return 0;
    }
  }

  @Command(name = "promote", mixinStandardHelpOptions = true, description = "Make VERSION the one that segments.")
  static final class Promote implements Callable<Integer> {
    @Option(names = {"-d", "--dataset"}, required = true) String dataset;
    @Parameters(index = "0", paramLabel = "VERSION") String version;
    @Mixin StorageOptions storage;

    @Override
    public Integer call() {
      ModelVersion v = new ModelRegistry(storage.paths()).promote(dataset, version);
      System.out.println("promoted " + v.dataset() + " " + v.version());
      return 0;
    }
  }
}
