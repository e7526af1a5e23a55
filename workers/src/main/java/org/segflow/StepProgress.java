package org.segflow;

import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Progress of a step over many cases as plain lines (fit for a terminal and a log file alike):
 * "preprocess: 120/500 cases, 0.8 s per case, 5.1 min left", at most one line per tenth of the cases
 * and per {@link #MIN_INTERVAL_NANOS}, and a last line when all are done. Safe to call from the
 * threads that do the cases.
 */
public final class StepProgress {

  static final long MIN_INTERVAL_NANOS = 5_000_000_000L;

  private final String step;
  private final int total;
  private final Consumer<String> out;
  private final LongSupplier nanoClock;
  private final long start;
  private int done;
  private int lastTenth;
  private long lastLine;

  public StepProgress(String step, int total, Consumer<String> out) {
    this(step, total, out, System::nanoTime);
  }

  StepProgress(String step, int total, Consumer<String> out, LongSupplier nanoClock) {
    this.step = step;
    this.total = total;
    this.out = out;
    this.nanoClock = nanoClock;
    this.start = nanoClock.getAsLong();
    this.lastLine = start;
  }

  /** A progress that says nothing. */
  public static StepProgress silent(int total) {
    return new StepProgress("", total, line -> { });
  }

  /** One more case done. */
  public synchronized void caseDone() {
    done++;
    long now = nanoClock.getAsLong();
    double seconds = (now - start) / 1e9;
    int tenth = (int) ((long) done * 10 / Math.max(1, total));
    if (done == total) {
      out.accept(String.format(Locale.ROOT, "%s: %d/%d cases in %s", step, done, total, HumanDuration.of(seconds)));
    } else if (tenth > lastTenth && now - lastLine >= MIN_INTERVAL_NANOS) {
      double perCase = seconds / done;
      out.accept(String.format(Locale.ROOT, "%s: %d/%d cases, %.2f s per case, %s left", step, done, total, perCase,
          HumanDuration.of(perCase * (total - done))));
      lastTenth = tenth;
      lastLine = now;
    }
  }
}
