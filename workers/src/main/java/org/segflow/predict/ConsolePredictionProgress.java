package org.segflow.predict;

import java.io.PrintStream;
import java.util.Locale;
import org.segflow.HumanDuration;

/**
 * Prediction progress for people: on a terminal a bar (cases done of total, seconds per case, time
 * left), otherwise one line per case with the same figures; failures always get their own line.
 */
public final class ConsolePredictionProgress implements PredictionListener {

  private static final int WIDTH = 30;

  private final PrintStream out;
  private final boolean bar;

  public ConsolePredictionProgress(PrintStream out, boolean interactive) {
    this.out = out;
    this.bar = interactive;
  }

  public static ConsolePredictionProgress stdout() {
    return new ConsolePredictionProgress(System.out, System.console() != null);
  }

  @Override
  public void onStart(int toPredict, int skipped) {
    out.println("Predicting " + toPredict + " case(s)"
        + (skipped > 0 ? "; " + skipped + " already predicted, skipped (--continue-prediction)" : ""));
    if (bar && toPredict > 0) {
      draw(0, toPredict, Double.NaN);
    }
  }

  @Override
  public void onCaseWritten(String caseId, int done, int total, double seconds) {
    double perCase = seconds / done;
    if (bar) {
      draw(done, total, perCase);
      if (done == total) {
        out.println();
      }
    } else {
      out.printf(Locale.ROOT, "%s done (%d/%d, %.1f s per case%s)%n", caseId, done, total, perCase,
          done < total ? ", " + HumanDuration.of(perCase * (total - done)) + " left" : "");
    }
    out.flush();
  }

  @Override
  public void onCaseFailed(String caseId, String message, int done, int total) {
    if (bar) {
      out.print("\r" + " ".repeat(78) + "\r");
    }
    out.println(caseId + " FAILED: " + message);
    if (bar && done < total) {
      draw(done, total, Double.NaN);
    }
    out.flush();
  }

  private void draw(int done, int total, double perCase) {
    int filled = (int) ((long) done * WIDTH / Math.max(1, total));
    out.printf(Locale.ROOT, "\rpredict [%s%s] %d/%d%s   ", "#".repeat(filled), ".".repeat(WIDTH - filled),
        done, total, Double.isNaN(perCase) ? "" : String.format(Locale.ROOT, "  %.1f s/case  %s left", perCase,
            HumanDuration.of(perCase * (total - done))));
    out.flush();
  }
}
