package org.segflow.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.segflow.InvalidInputException;
import org.segflow.net.Engines;
import org.segflow.plan.ExperimentPlanner;
import org.segflow.plan.Plans;
import org.segflow.predict.ModelFiles;
import org.segflow.promotion.LiveShadow;
import org.segflow.promotion.PromotionGate;
import org.segflow.promotion.ShadowReport;
import org.segflow.promotion.ShadowRun;
import org.segflow.registry.ModelRegistry;
import org.segflow.registry.ModelVersion;
import org.segflow.storage.Json;
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
        ModelsCommand.Calibrate.class, ModelsCommand.Shadow.class})
final class ModelsCommand {

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the dataset's versions; * = promoted.")
  static final class ListVersions implements Callable<Integer> {
    @Option(names = {"-d", "--dataset"}, required = true, description = DatasetArg.EXISTING) String dataset;
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
        // published before trust profiles existed: images are segmented but neither scored nor flagged
        String trust = Files.isRegularFile(profiles.file(v)) ? TrustSummary.of(profiles.of(v).orElseThrow())
            : "trust: no profile, images not scored (segflow models calibrate -d " + dataset + " " + v.version() + ")";
        System.out.printf(Locale.ROOT, "%s %-4s %s %s folds %s %s postprocessing %s TTA %s crossval Dice %s %s%n",
            promoted.filter(v.version()::equals).isPresent() ? "*" : " ", v.version(), v.dataset(),
            v.configuration(), String.join(",", v.folds()), v.checkpoint(), v.postprocessing() == null ? "none" : "yes",
            v.tta() ? "on" : "off", v.crossvalDice() == null ? "-" : String.format(Locale.ROOT, "%.4f", v.crossvalDice()),
            trust);
      }
      return 0;
    }
  }

  @Command(name = "publish", mixinStandardHelpOptions = true,
      description = "Publish the trained folds as a new version (the same files again: the existing version).")
  static final class Publish implements Callable<Integer> {
    @Option(names = {"-d", "--dataset"}, required = true, description = DatasetArg.EXISTING) String dataset;
    @Option(names = {"-c", "--configuration"}, defaultValue = Plans.CONFIGURATION_2D, completionCandidates = Choices.Configurations.class,
        description = "The trained configuration. Default: ${DEFAULT-VALUE}.") String configuration;
    @Option(names = {"-p", "--plans"}, defaultValue = ExperimentPlanner.DEFAULT_PLANS_NAME,
        description = "Plans identifier. Default: ${DEFAULT-VALUE}.") String plans;
    @Option(names = {"-f", "--folds"}, arity = "1..*", split = ",", paramLabel = "FOLD", converter = Folds.Token.class,
        completionCandidates = Folds.Candidates.class,
        description = Folds.DESCRIPTION + " The folds the version ensembles. Default: 0 1 2 3 4.") List<String> folds;
    @Option(names = "--checkpoint", defaultValue = "final", completionCandidates = Choices.Checkpoints.class,
        description = "${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.") String checkpoint;
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
      System.out.println("published " + v.dataset() + " " + v.version()
          + (registry.promoted(dataset).map(ModelVersion::version).filter(v.version()::equals).isPresent()
              ? " (promoted)" : "; promote with: segflow models promote -d " + dataset + " " + v.version()));
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
      return 0;
    }
  }

  @Command(name = "calibrate", mixinStandardHelpOptions = true,
      description = "Compute VERSION's trust profile (drift and confidence thresholds from the cross-validation"
          + " images and outputs), e.g. for a version published before profiles existed. Runs each fold's"
          + " network on its validation cases.")
  static final class Calibrate implements Callable<Integer> {
    @Option(names = {"-d", "--dataset"}, required = true, description = DatasetArg.EXISTING) String dataset;
    @Parameters(index = "0", paramLabel = "VERSION", description = "A published version, e.g. v2.") String version;
    @Option(names = "--threads", defaultValue = "0", paramLabel = "N",
        description = EngineOptions.THREADS + " Default: ${DEFAULT-VALUE}.") int threads;
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

  @Command(name = "shadow", mixinStandardHelpOptions = true,
      description = {"Live shadow run: `shadow -d D VERSION` makes VERSION segment every image of D that arrives"
          + " from then on beside the promoted version, publishing nothing (its outputs and one comparison per"
          + " image under predictions/D/shadow/VERSION/); `shadow -d D` shows the comparison so far (images, Dice"
          + " on the labelled ones, agreement, flagged share, mean confidence), `shadow -d D --stop` ends the run."
          + " promote reads the comparison.",
          "--test-set: segment the dataset's test images (or --images) with both versions now and compare them"
              + " (models/VERSION.shadow.json)."})
  static final class Shadow implements Callable<Integer> {
    static final int DEFAULT_LIMIT = 50;

    @Option(names = {"-d", "--dataset"}, required = true, description = DatasetArg.EXISTING) String dataset;
    @Parameters(index = "0", arity = "0..1", paramLabel = "VERSION", description = "A published version, e.g. v2;"
        + " without it: the live comparison so far.") String version;
    @Option(names = "--stop", description = "End the live shadow run (its records stay).") boolean stop;
    @Option(names = "--test-set", description = "Compare on the test images now instead of on arrivals.") boolean testSet;
    @Option(names = "--images", paramLabel = "DIR", description = "With --test-set: folder of images (default: the"
        + " dataset's raw imagesTs).") Path images;
    @Option(names = "--labels", paramLabel = "DIR", description = "With --test-set: reference label maps named like"
        + " the cases (default: labelsTs beside the images).") Path labels;
    @Option(names = "--limit", paramLabel = "N", description = "With --test-set: at most this many images. Default: "
        + DEFAULT_LIMIT + ".") Integer limit;
    @Option(names = "--threads", defaultValue = "0", paramLabel = "N",
        description = EngineOptions.THREADS + " With --test-set. Default: ${DEFAULT-VALUE}.") int threads;
    @Mixin StorageOptions storage;

    @Override
    public Integer call() {
      if (testSet) {
        if (version == null || stop) {
          throw new InvalidInputException("--test-set compares one VERSION with the promoted one:"
              + " segflow models shadow -d " + dataset + " --test-set VERSION");
        }
        return testSet();
      }
      if (images != null || labels != null || limit != null) {
        throw new InvalidInputException("--images, --labels and --limit choose the images of a --test-set"
            + " comparison; a live shadow run takes the arriving images");
      }
      ModelRegistry registry = new ModelRegistry(storage.paths());
      if (stop) {
        if (version != null) {
          throw new InvalidInputException("--stop ends the dataset's shadow run and takes no VERSION");
        }
        Optional<String> ended = registry.stopShadow(dataset);
        System.out.println(ended.map(v -> "ended the live shadow run of " + v)
            .orElse("no live shadow run of " + dataset));
      } else if (version != null) {
        ModelVersion v = registry.startShadow(dataset, version);
        ModelVersion promoted = registry.requirePromoted(dataset);
        System.out.println("shadowing " + v.dataset() + " " + v.version() + ": it segments every arriving image"
            + " beside the promoted " + promoted.version() + ", publishing nothing (outputs under "
            + new LiveShadow(storage.paths()).dir(v) + "); compare: segflow models shadow -d " + dataset
            + "; end: segflow models shadow -d " + dataset + " --stop");
        return 0;
      } else {
        System.out.println(registry.shadow(dataset).map(v -> "live shadow run of " + v.dataset() + ": "
            + v.version() + " segments every arriving image beside the promoted " + registry.requirePromoted(dataset)
            .version()).orElse("no live shadow run of " + dataset + " (start one: segflow models shadow -d "
            + dataset + " VERSION)"));
      }
      String folder = registry.promoted(dataset).map(ModelVersion::dataset).orElse(null);
      List<LiveShadow.Comparison> comparisons = folder == null ? List.of()
          : new LiveShadow(storage.paths()).comparisons(folder);
      if (comparisons.isEmpty()) {
        System.out.println("no arrivals segmented in a shadow run yet");
      }
      comparisons.forEach(ModelsCommand::print);
      return 0;
    }

    private int testSet() {
      ShadowReport r = new ShadowRun(storage.paths()).run(dataset, version, images, labels,
          limit == null ? DEFAULT_LIMIT : limit, Engines.device("cpu", Engines.pytorch(threads)));
      System.out.printf(Locale.ROOT, "shadow run over %d images of %s%n", r.images(), r.imagesFolder());
      for (ShadowReport.VersionResult v : List.of(r.candidate(), r.baseline())) {
        System.out.printf(Locale.ROOT, "  %-4s %s mean Dice %s, flagged %s, %.2f s/image%n", v.version(),
            v == r.baseline() ? "(promoted) " : "(candidate)", v.meanDice() == null ? "- (no labels)"
                : String.format(Locale.ROOT, "%.4f", v.meanDice()),
            v.flaggedShare() == null ? "- (no trust profile)" : String.format(Locale.ROOT, "%.1f%%",
                100 * v.flaggedShare()), v.secondsPerImage());
      }
      System.out.println("  agreement (mean Dice of one against the other): " + (r.agreementDice() == null ? "-"
          : String.format(Locale.ROOT, "%.4f", r.agreementDice())));
      return 0;
    }
  }

  /** One live comparison: the shadowed version and the promoted one over the same arrivals. */
  static void print(LiveShadow.Comparison c) {
    System.out.printf(Locale.ROOT, "%s beside %s over %d arriving images (%d with reference labels):%n",
        c.shadow().version(), c.promoted().version(), c.images(), c.shadow().labelled());
    for (LiveShadow.VersionStats v : List.of(c.shadow(), c.promoted())) {
      System.out.printf(Locale.ROOT, "  %-4s %s mean Dice %s, flagged %s, mean confidence %s%n", v.version(),
          v == c.shadow() ? "(shadow)  " : "(promoted)", v.meanDice() == null ? "- (no labelled images)"
              : String.format(Locale.ROOT, "%.4f", v.meanDice()),
          v.flaggedShare() == null ? "- (not scored)" : String.format(Locale.ROOT, "%.1f%%", 100 * v.flaggedShare()),
          v.meanConfidence() == null ? "-" : String.format(Locale.ROOT, "%.3f", v.meanConfidence()));
    }
    System.out.println("  agreement (mean Dice of one against the other): " + (c.agreementDice() == null ? "-"
        : String.format(Locale.ROOT, "%.4f", c.agreementDice())));
  }

  @Command(name = "promote", mixinStandardHelpOptions = true, description = "Make VERSION the one that segments;"
      + " refused when it is worse than the promoted one (live shadow run on labelled arrivals; test-set shadow run,"
      + " else cross-validation Dice) unless --force. Promoting the shadowed version ends its shadow run.")
  static final class Promote implements Callable<Integer> {
    @Option(names = {"-d", "--dataset"}, required = true, description = DatasetArg.EXISTING) String dataset;
    @Parameters(index = "0", paramLabel = "VERSION", description = "A published version, e.g. v2.") String version;
    @Option(names = "--force", description = "Promote even a worse candidate.") boolean force;
    @Mixin StorageOptions storage;

    @Override
    public Integer call() {
      ModelRegistry registry = new ModelRegistry(storage.paths());
      ModelVersion candidate = registry.version(dataset, version);
      ModelVersion promoted = registry.promoted(dataset).orElse(null);
      Path shadowFile = new ShadowRun(storage.paths()).reportFile(candidate);
      LiveShadow.Comparison live = promoted == null ? null
          : new LiveShadow(storage.paths()).comparison(candidate, promoted).orElse(null);
      if (live != null) {
        print(live);
      }
      PromotionGate.Verdict verdict = PromotionGate.check(promoted, candidate,
          Files.isRegularFile(shadowFile) ? Json.read(shadowFile, ShadowReport.class) : null, live);
      if (!verdict.allowed() && !force) {
        throw new InvalidInputException("not promoting " + candidate.dataset() + " " + candidate.version() + ": "
            + verdict.reason() + "; promote it anyway with --force");
      }
      boolean shadowed = registry.shadow(dataset).map(ModelVersion::version).filter(version::equals).isPresent();
      ModelVersion v = registry.promote(dataset, version);
      System.out.println("promoted " + v.dataset() + " " + v.version() + " (" + verdict.reason()
          + (verdict.allowed() ? "" : "; forced") + ")" + (shadowed ? "; its live shadow run ended" : ""));
      return 0;
    }
  }
}
