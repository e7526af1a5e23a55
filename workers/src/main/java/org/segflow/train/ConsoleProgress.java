package org.segflow.train;

import java.io.PrintStream;
import java.util.Locale;

/**
 * One line per epoch on the console, and on a terminal a progress bar while the epoch runs, so a
 * person sees a long training move without reading the log file.
 */
public final class ConsoleProgress implements TrainingListener {

  private final PrintStream out;
  private final boolean bar;
  private long epochStart = System.nanoTime();

  public ConsoleProgress(PrintStream out, boolean interactive) {
    this.out = out;
    this.bar = interactive;
  }

  public static ConsoleProgress stdout() {
    return new ConsoleProgress(System.out, System.console() != null);
  }

  @Override
  public void onTrainingStart(FoldContext fold, TrainingHistory history) {
    epochStart = System.nanoTime();
  }

  @Override
  public void onIteration(FoldContext fold, int epoch, int iteration, int iterationsPerEpoch) {
    if (!bar) {
      return;
    }
    int width = 30;
    int filled = (int) ((long) iteration * width / iterationsPerEpoch);
    double elapsed = (System.nanoTime() - epochStart) / 1e9;
    double eta = iteration == 0 ? 0 : elapsed / iteration * (iterationsPerEpoch - iteration);
    out.printf(Locale.ROOT, "\rfold %s epoch %d [%s%s] %d/%d  %.0f s left   ", fold.fold(), epoch,
        "#".repeat(filled), ".".repeat(width - filled), iteration, iterationsPerEpoch, eta);
    out.flush();
  }

  @Override
  public void onEpochEnd(FoldContext fold, EpochResult r, TrainingHistory history) {
    if (bar) {
      out.print("\r" + " ".repeat(78) + "\r");
    }
    double waitShare = r.epochSeconds() > 0 ? 100 * r.dataWaitSeconds() / r.epochSeconds() : 0;
    out.printf(Locale.ROOT,
        "fold %s epoch %d/%d  train %.4f  val %.4f  pseudo dice %.4f  ema %.4f%s  lr %.5f  %.1f s"
            + " (data wait %.0f%%)%n",
        fold.fold(), r.epoch() + 1, r.numEpochs(), r.trainLoss(), r.valLoss(), r.meanForegroundDice(),
        r.emaForegroundDice(), r.newBestEma() ? " *best*" : "", r.learningRate(), r.epochSeconds(), waitShare);
    out.flush();
    epochStart = System.nanoTime();
  }

  @Override
  public void onMessage(FoldContext fold, String message) {
    out.println("fold " + fold.fold() + ": " + message);
  }
}
