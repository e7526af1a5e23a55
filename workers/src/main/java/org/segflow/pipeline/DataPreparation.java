package org.segflow.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Stream;
import org.segflow.InvalidInputException;
import org.segflow.contract.ConvertRequest;
import org.segflow.contract.ConvertResult;
import org.segflow.contract.FindBestRequest;
import org.segflow.contract.FindBestResult;
import org.segflow.contract.FingerprintRequest;
import org.segflow.contract.FingerprintResult;
import org.segflow.contract.FinishedFold;
import org.segflow.contract.FoldRequest;
import org.segflow.contract.FoldResult;
import org.segflow.contract.IngestRequest;
import org.segflow.contract.IngestResult;
import org.segflow.contract.PlanRequest;
import org.segflow.contract.PlanResult;
import org.segflow.contract.StepRef;
import org.segflow.dataset.ConversionOptions;
import org.segflow.dataset.ConversionResult;
import org.segflow.dataset.DatasetConverter;
import org.segflow.dataset.DatasetManifest;
import org.segflow.dataset.DatasetName;
import org.segflow.plan.CrossValidationSplits;
import org.segflow.plan.ExperimentPlanner;
import org.segflow.plan.Plans;
import org.segflow.plan.PlansWriter;
import org.segflow.storage.AtomicFiles;
import org.segflow.storage.Json;
import org.segflow.storage.SegflowPaths;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline's cpu steps, each cached by its inputs' sha256s: ingest ({@link SourceIngest}),
 * convert ({@link DatasetConverter}, {@link ConvertStepCache}), fingerprint ({@link FingerprintStep}),
 * plan ({@link PlanStep}); the fold cache ({@link FinishedFolds}); and find-best
 * ({@link BestConfigurationStep}, {@link FindBestStepCache}). Each takes its request and returns its result
 * as the contract defines them; an input that can never work throws
 * {@link org.segflow.InvalidInputException}.
 */
public final class DataPreparation {

  private static final Logger LOG = LoggerFactory.getLogger(DataPreparation.class);

  private final SegflowPaths paths;
  private final int threads;

  public DataPreparation(SegflowPaths paths, int threads) {
    this.paths = paths;
    this.threads = threads;
  }

  public IngestResult ingest(IngestRequest r) {
    DatasetName name = new DatasetName(r.datasetId(), r.datasetName());
    SourceIngest.Ingested in = SourceIngest.scan(StepRefs.resolve(paths, r.source()), name);
    byte[] bytes = Json.write(in.manifest()).getBytes(StandardCharsets.UTF_8);
    Path file = SourceIngest.manifestFile(paths, name);
    boolean hit = sameBytes(file, bytes);
    if (hit) {
      LOG.info("ingest {}: cache hit, {} files unchanged", name, in.manifest().sourceFiles().size());
    } else {
      AtomicFiles.write(file, bytes);
    }
    StepRef ref = StepRefs.of(paths, file);
    return new IngestResult(name.folderName(), in.layout().key(), ref, in.numTraining(), in.numTest(),
        in.manifest().sourceFiles().size(), ref.sha256(), hit);
  }

  public ConvertResult convert(ConvertRequest r) {
    DatasetName name = new DatasetName(r.datasetId(), r.datasetName());
    ConversionOptions options = ConversionOptions.DEFAULTS
        .withChannels(ConversionOptions.Channels.parse(r.channels() == null ? "gray" : r.channels()));
    Path source = StepRefs.resolve(paths, r.source());
    Path ingestFile = StepRefs.verified(paths, r.sourceManifest());
    DatasetManifest ingested = DatasetManifest.read(ingestFile);
    if (!name.folderName().equals(ingested.dataset())) {
      throw new InvalidInputException(ingestFile, "ingested for " + ingested.dataset() + ", not for "
          + name.folderName());
    }
    Path target = paths.raw().resolve(name.folderName());
    StepCacheKey wanted = ConvertStepCache.ofIngested(ingested, options);
    Optional<StepCacheKey> existing = ConvertStepCache.ofExisting(target);
    Path manifestFile = target.resolve(DatasetManifest.FILE_NAME);
    if (existing.isPresent() && wanted.key().equals(existing.get().key())) {
      DatasetManifest m = DatasetManifest.read(manifestFile);
      LOG.info("convert {}: cache hit (key {})", name, wanted.key());
      return new ConvertResult(name.folderName(), StepRefs.of(paths, manifestFile),
          count(m, "imagesTr/"), count(m, "imagesTs/"), wanted.key(), true);
    }
    ConversionResult c = new DatasetConverter(threads, LOG::info).convert(source, paths.raw(), name, options);
    ConvertStepCache.requireIngestedSources(ingested, c.manifest(), source);
    return new ConvertResult(name.folderName(), StepRefs.of(paths, manifestFile), c.numTraining(),
        c.numTest(), wanted.key(), false);
  }

  public FingerprintResult fingerprint(FingerprintRequest r) {
    DatasetName name = DatasetName.parse(r.dataset());
    Path rawDir = paths.raw().resolve(name.folderName());
    StepRefs.verified(paths, r.manifest());
    Path ppDir = paths.preprocessed().resolve(name.folderName());
    StepCacheKey key = FingerprintStepCache.key(name.folderName(), rawDir);
    Path file = ppDir.resolve(FingerprintStep.FILE_NAME);
    boolean hit = FingerprintStepCache.hit(ppDir, key);
    int numCases;
    if (hit) {
      numCases = FingerprintStep.read(file).shapesAfterCrop().size();
      LOG.info("fingerprint {}: cache hit (key {})", name, key.key());
    } else {
      FingerprintStepCache.invalidate(ppDir);
      numCases = FingerprintStep.run(rawDir, ppDir, threads, LOG::info);
      FingerprintStepCache.record(ppDir, key);
    }
    return new FingerprintResult(name.folderName(), StepRefs.of(paths, file), numCases, key.key(), hit);
  }

  public PlanResult plan(PlanRequest r) {
    DatasetName name = DatasetName.parse(r.dataset());
    Path rawDir = paths.raw().resolve(name.folderName());
    StepRefs.verified(paths, r.manifest());
    Path fingerprintFile = StepRefs.verified(paths, r.fingerprint());
    String plansName = ExperimentPlanner.DEFAULT_PLANS_NAME;
    Path ppDir = paths.preprocessed().resolve(name.folderName());
    StepCacheKey key = PlanStepCache.key(name.folderName(), rawDir, fingerprintFile, r.memoryTargetGb(), plansName);
    Path plansFile = PlansWriter.plansFile(ppDir, plansName);
    boolean hit = PlanStepCache.hit(ppDir, key, plansName) && Files.isDirectory(dataDir(plansFile));
    if (hit) {
      LOG.info("plan {}: cache hit (key {})", name, key.key());
    } else {
      PlanStepCache.invalidate(ppDir);
      PlanStep.run(name, rawDir, ppDir, fingerprintFile, r.memoryTargetGb(), plansName, LOG::info);
      PlanStepCache.record(ppDir, key);
    }
    return new PlanResult(name.folderName(), StepRefs.of(paths, plansFile),
        StepRefs.of(paths, ppDir.resolve(CrossValidationSplits.FILE_NAME)), countCases(dataDir(plansFile)),
        key.key(), hit);
  }

  public FinishedFold finishedFold(FoldRequest r) {
    long t0 = System.nanoTime();
    Optional<FoldResult> finished = new FinishedFolds(paths).find(r);
    LOG.info("fold cache, fold {} of {}: {} ({} ms)", r.fold(), r.dataset(), finished.isPresent()
        ? "finished with the same plans, data and budget; not trained again" : "not finished",
        (System.nanoTime() - t0) / 1_000_000);
    return finished.map(FinishedFold::of).orElseGet(() -> FinishedFold.notFound(r.fold()));
  }

  public FindBestResult findBest(FindBestRequest r) {
    return new BestConfigurationStep(paths).run(r);
  }

  private static boolean sameBytes(Path file, byte[] bytes) {
    try {
      return Files.isRegularFile(file) && Arrays.equals(Files.readAllBytes(file), bytes);
    } catch (IOException e) {
      return false;
    }
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
