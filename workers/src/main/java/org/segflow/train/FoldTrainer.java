package org.segflow.train;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.segflow.InvalidInputException;
import org.segflow.net.PlainConvUNet;
import org.segflow.net.UNetArchitecture;
import org.segflow.preprocess.PreprocessedCase;
import org.segflow.train.augment.DeepSupervisionScales;
import org.segflow.train.augment.TrainingTransforms;
import org.segflow.train.data.Batch;
import org.segflow.train.data.BatchAssembler;
import org.segflow.train.data.BatchProducer;
import org.segflow.train.data.PatchSampler;
import org.segflow.train.loss.ClassCounts;
import org.segflow.train.optim.NesterovSgd;
import org.segflow.train.optim.PolyLearningRate;
import org.segflow.train.optim.TrainStep;

/**
 * nnU-Net's fold training loop: poly LR set at each epoch start, iterations of
 * augmented batches, validation batches for the pseudo Dice and its EMA, checkpoints, and at the
 * end the sliding-window validation of the fold's cases. It knows nothing of Temporal or
 * Micrometer: listeners see every epoch.
 */
public final class FoldTrainer {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(FoldTrainer.class);
  public static final String TRAINER_NAME = "nnUNetTrainer";
  private static final int[] MIRROR_AXES = {0, 1};

  /** What the plans say about this configuration. */
  public record NetworkPlan(UNetArchitecture architecture, int[] patchSize, int batchSize,
      boolean[] useMaskForNorm) {}

  /** The finished fold: where the model is and how good the validation was. */
  public record Outcome(Path finalCheckpoint, int epochsRun, int resumedFromEpoch, double bestEma,
      TrainingHistory history, FoldValidation.Result validation) {}

  private final FoldContext fold;
  private final NetworkPlan plan;
  private final TrainingSettings settings;
  private final List<TrainingListener> listeners;

  public FoldTrainer(FoldContext fold, NetworkPlan plan, TrainingSettings settings,
      List<TrainingListener> listeners) {
    this.fold = fold;
    this.plan = plan;
    this.settings = settings;
    this.listeners = List.copyOf(listeners);
  }

  public Outcome run(List<PreprocessedCase> trainCases, List<PreprocessedCase> valCases, Device device,
      FoldValidation validation) {
    try {
      return train(trainCases, valCases, device, validation);
    } catch (RuntimeException e) {
      listeners.forEach(l -> l.onTrainingFailed(fold, e));
      throw e;
    }
  }

  private Outcome train(List<PreprocessedCase> trainCases, List<PreprocessedCase> valCases, Device device,
      FoldValidation validation) {
    if (trainCases.isEmpty() || valCases.isEmpty()) {
      throw new InvalidInputException(fold.outputDir(), "fold " + fold.fold() + " needs training and "
          + "validation cases; got " + trainCases.size() + " and " + valCases.size());
    }
    try (NDManager root = NDManager.newBaseManager(device)) {
      PlainConvUNet network = new PlainConvUNet(plan.architecture().withDeepSupervision(true));
      Optional<Resume> resumed = settings.resume() ? newestCheckpoint(fold.outputDir()) : Optional.empty();
      Optional<Checkpoint> resume = resumed.map(Resume::checkpoint);
      TrainingHistory history = resume.map(c -> c.state().logging()).orElseGet(TrainingHistory::new);
      int startEpoch = resume.map(c -> c.state().currentEpoch()).orElse(0);
      double bestEma = resume.map(c -> c.state().bestEma()).orElse(Double.NEGATIVE_INFINITY);
      if (resume.isPresent()) {
        load(network, root, resume.get().weights());
      } else {
        network.initialize(root, settings.seed());
      }
      if (startEpoch > settings.numEpochs()) {
        throw new InvalidInputException(fold.outputDir(), "the checkpoint is at epoch " + startEpoch
            + " but --epochs is " + settings.numEpochs() + ": training cannot continue backwards");
      }
      listeners.forEach(l -> l.onTrainingStart(fold, history));
      message("This split has " + trainCases.size() + " training and " + valCases.size()
          + " validation cases.");
      resumed.ifPresent(r -> r.skipped().forEach(why -> message("Passing over a damaged checkpoint: " + why)));
      message(resumed.isPresent() ? "Resuming from a checkpoint at epoch " + startEpoch + " ("
          + resumed.get().file().getFileName() + ")"
          : "Starting a new training (" + network.parameterCount() + " parameters)");

      try (NesterovSgd optimizer = NesterovSgd.nnUNet(network.getParameters().values())) {
        resume.ifPresent(c -> loadOptimizer(optimizer, c.optimizer()));
        TrainStep step = TrainStep.nnUNet(network, optimizer,
            org.segflow.net.Engines.precision(device, network.architecture()));
        if (step.precision() != org.segflow.net.Precision.FP32) {
          message("Training on " + device + " in " + step.precision() + " (float32 master weights)");
        }
        if (startEpoch < settings.numEpochs()) {
          bestEma = trainEpochs(network, optimizer, step, root, trainCases, valCases, history,
              startEpoch, bestEma);
        }
        Path finalCheckpoint = fold.outputDir().resolve(Checkpoint.FINAL);
        if (startEpoch < settings.numEpochs() || !Files.exists(finalCheckpoint)) {
          writeCheckpoint(finalCheckpoint, network, optimizer, history, settings.numEpochs(), bestEma);
          deleteQuietly(fold.outputDir().resolve(Checkpoint.LATEST));
        }
        message("Training done.");
        FoldValidation.Result result = null;
        Optional<FoldValidation.Result> done = startEpoch == settings.numEpochs() && validation != null
            ? validation.existing(fold) : Optional.empty();
        if (done.isPresent()) {
          // a finished fold asked again (a retried or repeated pipeline step): nothing has changed
          result = done.get();
          message("Validation already done: " + result.summaryFile());
        } else if (settings.finalValidation() && validation != null) {
          network.setDeepSupervision(false);
          result = validation.run(network, root, device, valCases, fold, this::message);
          message("Mean Validation Dice: " + PythonNumbers.round(result.foregroundMeanDice(), 4));
        }
        listeners.forEach(l -> l.onTrainingEnd(fold, history));
        return new Outcome(finalCheckpoint, settings.numEpochs() - startEpoch, startEpoch, bestEma, history,
            result);
      }
    } catch (EngineException e) {
      throw engineFailure(e);
    }
  }

  private double trainEpochs(PlainConvUNet network, NesterovSgd optimizer, TrainStep step, NDManager root,
      List<PreprocessedCase> trainCases, List<PreprocessedCase> valCases, TrainingHistory history,
      int startEpoch, double bestEma) {
    UNetArchitecture arch = network.architecture();
    double[][] dsScales = DeepSupervisionScales.fromStrides(arch.strides());
    PatchSampler trainSampler = PatchSampler.forTraining(trainCases, plan.batchSize(), plan.patchSize());
    PatchSampler valSampler = PatchSampler.forValidation(valCases, plan.batchSize(), plan.patchSize());
    PolyLearningRate lr = PolyLearningRate.nnUNet(settings.numEpochs());
    // a resumed run draws new batches rather than replaying the ones before the crash
    long seed = settings.seed() * 1_000_003L + startEpoch;
    try (BatchProducer train = BatchProducer.start(new BatchAssembler(trainSampler,
            TrainingTransforms.forTraining(plan.patchSize(), MIRROR_AXES, plan.useMaskForNorm(), dsScales)),
            seed, settings.dataWorkers(), BatchProducer.DEFAULT_QUEUE_CAPACITY);
         BatchProducer val = BatchProducer.start(new BatchAssembler(valSampler,
             TrainingTransforms.forValidation(dsScales)), seed + 1, 1, BatchProducer.DEFAULT_QUEUE_CAPACITY)) {
      long iterationsDone = (long) startEpoch * settings.iterationsPerEpoch();
      for (int epoch = startEpoch; epoch < settings.numEpochs(); epoch++) {
        long t0 = System.nanoTime();
        double rate = lr.at(epoch);
        double lossSum = 0;
        long waitBefore = train.totalWaitNanos();
        for (int it = 0; it < settings.iterationsPerEpoch(); it++) {
          Batch batch = train.next();
          try (NDManager iteration = root.newSubManager()) {
            TrainStep.Outcome out = step.run(images(iteration, batch), targets(iteration, batch), rate);
            lossSum += out.loss();
          }
          iterationsDone++;
          int done = it + 1;
          int ep = epoch;
          listeners.forEach(l -> l.onIteration(fold, ep, done, settings.iterationsPerEpoch()));
        }
        double dataWait = (train.totalWaitNanos() - waitBefore) / 1e9;
        double valLossSum = 0;
        ClassCounts counts = ClassCounts.zeros(arch.numClasses() - 1);
        for (int it = 0; it < settings.valIterations(); it++) {
          Batch batch = val.next();
          try (NDManager iteration = root.newSubManager()) {
            TrainStep.Evaluation ev = step.evaluate(images(iteration, batch), targets(iteration, batch));
            valLossSum += ev.loss();
            counts = counts.plus(ev.counts());
          }
        }
        double mean = counts.meanForegroundDice();
        double ema = history.nextEma(mean);
        boolean best = ema > bestEma || history.epochs() == 0;
        double seconds = (System.nanoTime() - t0) / 1e9;
        EpochResult result = new EpochResult(epoch, settings.numEpochs(), rate,
            lossSum / settings.iterationsPerEpoch(), valLossSum / settings.valIterations(),
            counts.dicePerClass(), mean, ema, best, seconds, iterationsDone, dataWait);
        history.add(result);
        if (best) {
          bestEma = ema;
        }
        boolean latestDue = (epoch + 1) % settings.checkpointEvery() == 0 && epoch != settings.numEpochs() - 1;
        if (best || latestDue) {
          Path latest = fold.outputDir().resolve(Checkpoint.LATEST);
          Path bestFile = fold.outputDir().resolve(Checkpoint.BEST);
          writeCheckpoint(latestDue ? latest : bestFile, network, optimizer, history, epoch + 1, bestEma);
          if (latestDue && best) {
            Checkpoint.copy(latest, bestFile);
          }
        }
        for (TrainingListener l : listeners) {
          l.onEpochEnd(fold, result, history);
        }
      }
    }
    return bestEma;
  }

  private static NDArray images(NDManager m, Batch b) {
    return m.create(b.images(), new Shape(b.imageShape()));
  }

  private static NDList targets(NDManager m, Batch b) {
    NDList list = new NDList(b.targets().size());
    for (Batch.Target t : b.targets()) {
      list.add(m.create(t.toIntArray(), new Shape(b.batchSize(), t.height(), t.width())));
    }
    return list;
  }

  /** Streams the weights and momentum into the file (no heap copy of them; see Checkpoint.write). */
  private void writeCheckpoint(Path file, PlainConvUNet network, NesterovSgd optimizer, TrainingHistory history,
      int currentEpoch, double bestEma) {
    Map<String, Object> initArgs = new LinkedHashMap<>();
    initArgs.put("dataset", fold.dataset());
    initArgs.put("configuration", fold.configuration());
    initArgs.put("fold", fold.fold());
    initArgs.put("num_epochs", settings.numEpochs());
    initArgs.put("num_iterations_per_epoch", settings.iterationsPerEpoch());
    initArgs.put("num_val_iterations_per_epoch", settings.valIterations());
    initArgs.put("architecture", network.architecture().toString());
    Checkpoint.write(file, sha256 -> new Checkpoint.State(TRAINER_NAME, currentEpoch, settings.numEpochs(),
        bestEma, history, initArgs, MIRROR_AXES, sha256), network::writeParameters, optimizer::writeState);
  }

  /** The checkpoint a resume starts from, its file, and the damaged checkpoints passed over (file: reason). */
  record Resume(Path file, Checkpoint checkpoint, List<String> skipped) {}

  /**
   * The checkpoint to resume from, the newest complete one: final if training finished, else the newer of
   * latest and best (both hold full state; with --checkpoint-every above 1 best can be the newer one). A
   * damaged one (truncated by a full disk or a copy, weights not matching their sha256) is passed over for the
   * next complete one, logged (WARN) with why; when every checkpoint there is damaged, an InvalidInput names
   * them rather than starting over and overwriting them.
   */
  static Optional<Resume> newestCheckpoint(Path dir) {
    List<String> skipped = new java.util.ArrayList<>();
    Resume newest = null;
    for (String name : List.of(Checkpoint.FINAL, Checkpoint.LATEST, Checkpoint.BEST)) {
      Path file = dir.resolve(name);
      if (!Files.exists(file)) {
        continue;
      }
      Checkpoint c;
      try {
        c = Checkpoint.read(file);
      } catch (InvalidInputException e) {
        skipped.add(file.getFileName() + ": " + e.getMessage());
        LOG.warn("--continue passes over the damaged checkpoint {}: {}", file, e.getMessage());
        continue;
      }
      if (name.equals(Checkpoint.FINAL)) {
        newest = new Resume(file, c, skipped);
        break;
      }
      if (newest == null || c.state().currentEpoch() > newest.checkpoint().state().currentEpoch()) {
        newest = new Resume(file, c, skipped);
      }
    }
    if (newest == null && !skipped.isEmpty()) {
      throw new InvalidInputException(dir, "--continue found no complete checkpoint (" + String.join("; ", skipped)
          + "): expected a readable checkpoint_final, checkpoint_latest or checkpoint_best.zip; remove the damaged "
          + "ones to train this fold from the start");
    }
    if (newest != null && !skipped.isEmpty()) {
      LOG.warn("--continue resumes from {} (epoch {}), the newest complete checkpoint", newest.file(),
          newest.checkpoint().state().currentEpoch());
    }
    return Optional.ofNullable(newest);
  }

  private static void load(PlainConvUNet network, NDManager manager, byte[] weights) {
    try {
      network.readParameters(manager, new ByteArrayInputStream(weights));
    } catch (IOException | MalformedModelException e) {
      throw new InvalidInputException(null, "checkpoint weights do not fit this plan's network: "
          + e.getMessage(), e);
    }
  }

  private static void loadOptimizer(NesterovSgd optimizer, byte[] state) {
    try {
      optimizer.readState(new ByteArrayInputStream(state));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read optimizer state from checkpoint", e);
    }
  }

  private void message(String m) {
    listeners.forEach(l -> l.onMessage(fold, m));
  }

  private RuntimeException engineFailure(EngineException e) {
    String text = String.valueOf(e.getMessage());
    if (text.contains("out of memory") || text.contains("DefaultCPUAllocator") || text.contains("CUDA out")) {
      return new InvalidInputException(fold.outputDir(), "the engine ran out of memory at patch "
          + java.util.Arrays.toString(plan.patchSize()) + " batch " + plan.batchSize()
          + ": plan again with a smaller --memory-target-gb, or train on a larger machine (" + text + ")", e);
    }
    return e;
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // a stale checkpoint_latest is harmless: final wins on resume
    }
  }

  /** The 2D network of a plans configuration. */
  public static UNetArchitecture architecture(org.segflow.plan.ArchKwargs a, int inputChannels,
      int numClasses) {
    return new UNetArchitecture(inputChannels, numClasses, a.nStages(), ints(a.featuresPerStage()),
        pairs(a.kernelSizes()), pairs(a.strides()), ints(a.nConvPerStage()), ints(a.nConvPerStageDecoder()),
        true);
  }

  private static int[] ints(List<Integer> l) {
    return l.stream().mapToInt(Integer::intValue).toArray();
  }

  private static int[][] pairs(List<List<Integer>> l) {
    List<int[]> out = new ArrayList<>();
    for (List<Integer> p : l) {
      out.add(ints(p));
    }
    return out.toArray(new int[0][]);
  }
}
