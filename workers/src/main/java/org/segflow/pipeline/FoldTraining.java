package org.segflow.pipeline;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.segflow.contract.FoldRequest;
import org.segflow.contract.FoldResult;
import org.segflow.contract.StepRef;
import org.segflow.storage.SegflowPaths;
import org.segflow.train.EpochClock;
import org.segflow.train.FoldTrainer;
import org.segflow.train.FoldTrainingJob;
import org.segflow.train.TrainingListener;
import org.segflow.train.TrainingSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline's fold over {@link FoldTrainingJob}. It always resumes: a retry (or a repeated pipeline)
 * continues from the newest complete checkpoint on disk. A fold the fold cache ({@link FinishedFolds})
 * finds finished is returned without loading the engine, and a fold folder trained from other inputs
 * is refused ({@link FoldInputs}).
 */
public final class FoldTraining {

  private static final Logger LOG = LoggerFactory.getLogger(FoldTraining.class);

  private final SegflowPaths paths;
  private final String device;
  private final int threads;

  public FoldTraining(SegflowPaths paths, String device, int threads) {
    this.paths = paths;
    this.threads = threads;
    this.device = device;
  }

  /**
   * Trains (or finds finished) the requested fold. The listeners are the fold's log line per epoch
   * ({@link FoldLog}, naming {@code attempt}), its {@link EpochClock}, then what {@code callerListeners}
   * makes of that clock.
   */
  public FoldResult train(FoldRequest r, int attempt, Function<EpochClock, List<TrainingListener>> callerListeners) {
    Path plansFile = StepRefs.verified(paths, r.plans());
    // the fold cache's own decision, before the engine loads: a retry may find the fold finished
    Optional<FoldResult> finished = new FinishedFolds(paths).find(r);
    if (finished.isPresent()) {
      LOG.info("fold {}: already finished with the same plans, data and budget", r.fold());
      return finished.get();
    }
    String plansName = plansFile.getFileName().toString().replaceFirst("\\.json$", "");
    TrainingSettings settings = TrainingSettings.schedule(r.epochs(), r.iterations(), r.valIterations()).resuming();
    List<TrainingListener> listeners = new ArrayList<>();
    // first: a listener that ends the epoch's calls (cancellation, hand-back) comes after the log line
    listeners.add(new FoldLog(attempt));
    EpochClock clock = new EpochClock(r.epochs(), r.valIterations(),
        cost -> LOG.info("fold {} of {}: {}", r.fold(), r.dataset(), cost.describe()));
    listeners.add(clock);
    listeners.addAll(callerListeners.apply(clock));
    FoldTrainingJob job = new FoldTrainingJob(paths);
    String fold = Integer.toString(r.fold());
    new FoldInputs(r.inputsKey(), r.plans().sha256())
        .claim(job.prepare(r.dataset(), r.configuration(), fold, plansName).foldDir());
    FoldTrainer.Outcome o = job.run(new FoldTrainingJob.Request(r.dataset(), r.configuration(), fold, plansName,
        settings, device, threads), listeners);
    StepRef summary = o.validation() != null && Files.isRegularFile(o.validation().summaryFile())
        ? StepRefs.of(paths, o.validation().summaryFile()) : null;
    return new FoldResult(r.fold(), StepRefs.of(paths, o.finalCheckpoint()), summary, o.resumedFromEpoch(),
        o.epochsRun(), o.bestEma(), o.validation() == null ? Double.NaN : o.validation().foregroundMeanDice());
  }
}
