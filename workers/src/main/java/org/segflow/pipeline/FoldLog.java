package org.segflow.pipeline;

import java.util.Locale;
import org.segflow.train.EpochResult;
import org.segflow.train.FoldContext;
import org.segflow.train.TrainingHistory;
import org.segflow.train.TrainingListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fold's training in the worker's log, one line at its start, per epoch and at its end: what an
 * operator reads next to the Temporal history (the worker prints no console progress).
 */
final class FoldLog implements TrainingListener {

  private static final Logger LOG = LoggerFactory.getLogger(FoldLog.class);

  private final int attempt;

  FoldLog(int attempt) {
    this.attempt = attempt;
  }

  @Override
  public void onTrainingStart(FoldContext fold, TrainingHistory history) {
    LOG.info("fold {} of {} ({}): attempt {}, training from epoch {}", fold.fold(), fold.dataset(),
        fold.configuration(), attempt, history.epochs());
  }

  @Override
  public void onEpochEnd(FoldContext fold, EpochResult r, TrainingHistory history) {
    if (LOG.isInfoEnabled()) {
      LOG.info(String.format(Locale.ROOT,
          "fold %s: epoch %d/%d train loss %.4f, val loss %.4f, pseudo Dice %.4f (EMA %.4f), %.1f s",
          fold.fold(), r.epoch() + 1, r.numEpochs(), r.trainLoss(), r.valLoss(), r.meanForegroundDice(),
          r.emaForegroundDice(), r.epochSeconds()));
    }
  }

  @Override
  public void onTrainingEnd(FoldContext fold, TrainingHistory history) {
    LOG.info("fold {} of {} ({}): finished at epoch {}", fold.fold(), fold.dataset(), fold.configuration(),
        history.epochs());
  }

  @Override
  public void onTrainingFailed(FoldContext fold, RuntimeException cause) {
    LOG.info("fold {} of {} ({}): ended before finishing: {}", fold.fold(), fold.dataset(), fold.configuration(),
        cause.toString());
  }
}
