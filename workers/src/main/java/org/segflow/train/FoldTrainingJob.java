package org.segflow.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.segflow.InvalidInputException;
import org.segflow.dataset.DatasetJson;
import org.segflow.dataset.DatasetLabels;
import org.segflow.dataset.DatasetLocator;
import org.segflow.dataset.DatasetName;
import org.segflow.dataset.RawDataset;
import org.segflow.infer.SlidingWindowOptions;
import org.segflow.net.Engines;
import org.segflow.plan.CrossValidationSplits;
import org.segflow.plan.FoldSplit;
import org.segflow.plan.Plans;
import org.segflow.plan.PlansConfiguration;
import org.segflow.plan.PlansWriter;
import org.segflow.preprocess.PreprocessedCase;
import org.segflow.preprocess.PreprocessedStore;
import org.segflow.storage.AtomicFiles;
import org.segflow.storage.SegflowPaths;

/**
 * One fold of {@code nnUNetv2_train DATASET CONFIG FOLD}: finds the plans, splits and preprocessed
 * cases, lays out results/DatasetXXX/Trainer__Plans__config/fold_K/ and runs {@link FoldTrainer}.
 * The same call serves the command line, the Temporal activity and the tests.
 */
public final class FoldTrainingJob {

  /** What to train. {@code fold} is 0-4 or "all". */
  public record Request(String dataset, String configuration, String fold, String plansName,
      TrainingSettings settings, String device, int threads) {}

  private final SegflowPaths paths;

  public FoldTrainingJob(SegflowPaths paths) {
    this.paths = paths;
  }

  public static String trainerFolder(String plansName, String configuration) {
    return FoldTrainer.TRAINER_NAME + "__" + plansName + "__" + configuration;
  }

  public static String foldFolder(String fold) {
    return "fold_" + fold;
  }

  /** Everything a fold needs, found and checked before any training starts. */
  public record Prepared(DatasetName name, Path preprocessedDir, Path dataDir, PlansConfiguration config,
      FoldTrainer.NetworkPlan plan, DatasetLabels labels, FoldSplit split, Path trainerDir, Path foldDir) {

    public List<PreprocessedCase> trainCases() {
      return load(dataDir, split.train());
    }

    public List<PreprocessedCase> valCases() {
      return load(dataDir, split.val());
    }
  }

  /** Finds plans, splits and preprocessed data; a clear error names what to run when one is missing. */
  public Prepared prepare(String dataset, String configuration, String foldName, String plansName) {
    String fold = checkFold(foldName);
    DatasetName name = DatasetLocator.of(paths).resolve(dataset);
    Path pp = paths.preprocessed().resolve(name.folderName());
    Path plansFile = PlansWriter.plansFile(pp, plansName);
    if (!Files.isRegularFile(plansFile)) {
      throw new InvalidInputException(plansFile, "no plans: run `segflow plan-and-preprocess -d "
          + name.id() + "` first");
    }
    PlansConfiguration config = Plans.read(plansFile).configuration(configuration);
    Path dataDir = pp.resolve(config.dataIdentifier());
    Path splitsFile = pp.resolve(CrossValidationSplits.FILE_NAME);
    if (!Files.isDirectory(dataDir) || !Files.isRegularFile(splitsFile)) {
      throw new InvalidInputException(Files.isDirectory(dataDir) ? splitsFile : dataDir,
          "preprocessed data missing: run `segflow plan-and-preprocess -d " + name.id() + "` first");
    }
    DatasetLabels labels = DatasetLabels.of(RawDataset.readJson(pp.resolve("dataset.json")));
    FoldSplit split = CrossValidationSplits.forFold(CrossValidationSplits.read(splitsFile), fold, caseIds(dataDir));
    FoldTrainer.NetworkPlan plan = new FoldTrainer.NetworkPlan(
        FoldTrainer.architecture(config.archKwargs(), config.normalizationSchemes().size(),
            labels.allLabels().size()),
        config.patchSizeArray(), config.batchSize(), toBooleans(config.useMaskForNorm()));
    Path trainerDir = paths.results().resolve(name.folderName()).resolve(trainerFolder(plansName, configuration));
    return new Prepared(name, pp, dataDir, config, plan, labels, split, trainerDir,
        trainerDir.resolve(foldFolder(fold)));
  }

  public FoldTrainer.Outcome run(Request r, List<TrainingListener> extraListeners) {
    Prepared p = prepare(r.dataset(), r.configuration(), r.fold(), r.plansName());
    copyInto(p.trainerDir(), PlansWriter.plansFile(p.preprocessedDir(), r.plansName()), "plans.json");
    copyInto(p.trainerDir(), p.preprocessedDir().resolve("dataset.json"), "dataset.json");
    copyInto(p.trainerDir(), p.preprocessedDir().resolve("dataset_fingerprint.json"), "dataset_fingerprint.json");

    Engine engine = Engines.pytorch(r.threads());
    Device device = Engines.device(r.device(), engine);
    FoldContext ctx = new FoldContext(p.name().folderName(), r.configuration(), checkFold(r.fold()), p.foldDir());
    List<TrainingListener> listeners = new ArrayList<>();
    TrainingLogFile log = new TrainingLogFile();
    listeners.add(log);
    listeners.add(new ProgressPlot());
    listeners.addAll(extraListeners);
    Path masks = paths.raw().resolve(p.name().folderName()).resolve(RawDataset.MASKS_TR);
    FoldValidation validation = new FoldValidation(p.preprocessedDir().resolve("gt_segmentations"), masks,
        p.labels().foregroundLabels(), p.plan().patchSize(), SlidingWindowOptions.defaults());
    try {
      return new FoldTrainer(ctx, p.plan(), r.settings().forFold(ctx.fold()), listeners)
          .run(p.trainCases(), p.valCases(), device, validation);
    } finally {
      log.close();
    }
  }

  static String checkFold(String fold) {
    if (CrossValidationSplits.FOLD_ALL.equals(fold) || fold.matches("[0-4]")) {
      return fold;
    }
    throw new InvalidInputException("fold '" + fold + "' is out of range: expected 0, 1, 2, 3, 4 or all");
  }

  private static List<String> caseIds(Path dataDir) {
    try (var files = Files.list(dataDir)) {
      return files.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".json"))
          .map(n -> n.substring(0, n.length() - ".json".length()))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<PreprocessedCase> load(Path dataDir, List<String> ids) {
    return ids.stream().map(id -> PreprocessedStore.read(dataDir, id)).toList();
  }

  private static boolean[] toBooleans(List<Boolean> l) {
    boolean[] b = new boolean[l.size()];
    for (int i = 0; i < b.length; i++) {
      b[i] = Boolean.TRUE.equals(l.get(i));
    }
    return b;
  }

  private static void copyInto(Path dir, Path file, String name) {
    try {
      if (Files.exists(file)) {
        AtomicFiles.write(dir.resolve(name), Files.readAllBytes(file));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy " + file, e);
    }
  }
}
