package org.segflow.train;

import java.io.PrintStream;
import java.util.Locale;
import org.segflow.HumanDuration;
import java.util.function.DoubleSupplier;

/**
 * One line per epoch on the console with the time left for the whole fold, and on a terminal a
 * progress bar while the epoch runs (plain lines only when the output is a file), so a person sees a
 * long training move without reading the log file.
 */
public final class ConsoleProgress implements TrainingListener {

  private final PrintStream out;
  private final boolean bar;
  private final DoubleSupplier secondsPerEpoch;
  private long epochStart = System.nanoTime();

  public ConsoleProgress(PrintStream out, boolean interactive) {
    this(out, interactive, () -> Double.NaN);
  }

  /** {@code secondsPerEpoch} (an {@link EpochClock}) gives each epoch line the fold's time left. */
  public ConsoleProgress(PrintStream out, boolean interactive, DoubleSupplier secondsPerEpoch) {
    this.out = out;
    this.bar = interactive;
    this.secondsPerEpoch = secondsPerEpoch;
  }

  /** On standard output, a bar only when it is a terminal. */
  public static ConsoleProgress stdout(DoubleSupplier secondsPerEpoch) {
    return new ConsoleProgress(System.out, System.console() != null, secondsPerEpoch);
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
    double left = (r.numEpochs() - r.epoch() - 1) * secondsPerEpoch.getAsDouble();
    out.printf(Locale.ROOT,
        "fold %s epoch %d/%d  train %.4f  val %.4f  pseudo dice %.4f  ema %.4f%s  lr %.5f  %.1f s"
            + " (data wait %.0f%%)%s%n",
        fold.fold(), r.epoch() + 1, r.numEpochs(), r.trainLoss(), r.valLoss(), r.meanForegroundDice(),
        r.emaForegroundDice(), r.newBestEma() ? " *best*" : "", r.learningRate(), r.epochSeconds(), waitShare,
        Double.isFinite(left) && r.epoch() + 1 < r.numEpochs() ? "  fold left " + HumanDuration.of(left) : "");
    out.flush();
    epochStart = System.nanoTime();
  }

  @Override
  public void onMessage(FoldContext fold, String message) {
    out.println("fold " + fold.fold() + ": " + message);
  }
}
