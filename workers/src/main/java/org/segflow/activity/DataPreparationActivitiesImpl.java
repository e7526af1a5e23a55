package org.segflow.activity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.segflow.contract.ConvertRequest;
import org.segflow.contract.ConvertResult;
import org.segflow.contract.DataPreparationActivities;
import org.segflow.contract.EnsembleRequest;
import org.segflow.contract.EnsembleResult;
import org.segflow.contract.PlanRequest;
import org.segflow.contract.PlanResult;
import org.segflow.dataset.ConversionOptions;
import org.segflow.dataset.ConversionResult;
import org.segflow.dataset.DatasetConverter;
import org.segflow.dataset.DatasetManifest;
import org.segflow.dataset.DatasetName;
import org.segflow.plan.CrossValidationSplits;
import org.segflow.plan.ExperimentPlanner;
import org.segflow.plan.PlanAndPreprocess;
import org.segflow.plan.Plans;
import org.segflow.plan.PlansWriter;
import org.segflow.storage.SegflowPaths;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cpu steps over the engine: {@link DatasetConverter} and {@link PlanAndPreprocess}, each cached,
 * and find-best ({@link BestConfigurationStep}, cheap enough to redo).
 */
public final class DataPreparationActivitiesImpl implements DataPreparationActivities {

  private static final Logger LOG = LoggerFactory.getLogger(DataPreparationActivitiesImpl.class);

  private final SegflowPaths paths;
  private final int threads;

  public DataPreparationActivitiesImpl(SegflowPaths paths, int threads) {
    this.paths = paths;
    this.threads = threads;
  }

  @Override
  public ConvertResult convert(ConvertRequest r) {
    return Failures.invalidInputIsFinal(() -> {
      DatasetName name = new DatasetName(r.datasetId(), r.datasetName());
      ConversionOptions options = ConversionOptions.DEFAULTS
          .withChannels(ConversionOptions.Channels.parse(r.channels() == null ? "gray" : r.channels()));
      Path source = StepRefs.resolve(paths, r.source());
      Path target = paths.raw().resolve(name.folderName());
      Optional<StepCacheKey> wanted = ConvertStepCache.ofSource(source, name, options);
      Optional<StepCacheKey> existing = ConvertStepCache.ofExisting(target);
      Path manifestFile = target.resolve(DatasetManifest.FILE_NAME);
      if (wanted.isPresent() && existing.isPresent() && wanted.get().key().equals(existing.get().key())) {
        DatasetManifest m = DatasetManifest.read(manifestFile);
        LOG.info("convert {}: cache hit (key {})", name, wanted.get().key());
        return new ConvertResult(name.folderName(), StepRefs.of(paths, manifestFile),
            count(m, "imagesTr/"), count(m, "imagesTs/"), wanted.get().key(), true);
      }
      ConversionResult c = new DatasetConverter(threads).convert(source, paths.raw(), name, options);
      String key = wanted.map(StepCacheKey::key).orElse("");
      return new ConvertResult(name.folderName(), StepRefs.of(paths, manifestFile), c.numTraining(),
          c.numTest(), key, false);
    });
  }

  @Override
  public PlanResult planAndPreprocess(PlanRequest r) {
    return Failures.invalidInputIsFinal(() -> {
      DatasetName name = DatasetName.parse(r.dataset());
      Path rawDir = paths.raw().resolve(name.folderName());
      StepRefs.verified(paths, r.manifest());
      PlanAndPreprocess.Options options = new PlanAndPreprocess.Options(true, r.memoryTargetGb(),
          ExperimentPlanner.DEFAULT_PLANS_NAME, threads);
      Path ppDir = paths.preprocessed().resolve(name.folderName());
      StepCacheKey key = PlanStepCache.key(name.folderName(), rawDir, options);
      Path plansFile = PlansWriter.plansFile(ppDir, options.plansName());
      boolean hit = PlanStepCache.hit(ppDir, key, options.plansName()) && Files.isDirectory(dataDir(plansFile));
      if (hit) {
        LOG.info("plan {}: cache hit (key {})", name, key.key());
      } else {
        PlanStepCache.invalidate(ppDir);
        new PlanAndPreprocess(paths, LOG::info).run(name.folderName(), options);
        PlanStepCache.record(ppDir, key);
      }
      return new PlanResult(name.folderName(), StepRefs.of(paths, plansFile),
          StepRefs.of(paths, ppDir.resolve(CrossValidationSplits.FILE_NAME)), countCases(dataDir(plansFile)),
          key.key(), hit);
    });
  }

  @Override
  public EnsembleResult findBest(EnsembleRequest r) {
    return Failures.invalidInputIsFinal(() -> new BestConfigurationStep(paths).run(r));
  }

  private static Path dataDir(Path plansFile) {
    if (!Files.isRegularFile(plansFile)) {
      return plansFile.resolveSibling("missing");
    }
    return plansFile.resolveSibling(Plans.read(plansFile).configuration(Plans.CONFIGURATION_2D).dataIdentifier());
  }

  private static int count(DatasetManifest m, String folder) {
    return (int) m.files().stream().filter(f -> f.path().startsWith(folder)).count();
  }

  private static int countCases(Path dataDir) {
    try (Stream<Path> files = Files.list(dataDir)) {
      return (int) files.filter(p -> p.getFileName().toString().endsWith(".json")).count();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dataDir, e);
    }
  }
}
