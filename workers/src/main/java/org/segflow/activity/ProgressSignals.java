package org.segflow.activity;

/**
 * Which epochs a fold signals to its pipeline. Every signal is an event in the workflow's history
 * (and a workflow task of three more), and a history has limits (Temporal warns at 10,240 events and
 * terminates the workflow at 51,200), so a fold signals its first epoch (the pipeline learns its
 * epoch time early) and then only when its epoch crosses one of {@value #PER_FOLD} equal steps of its
 * schedule, the last of which is its last epoch: at most {@value #PER_FOLD} + 1 signals per attempt
 * whether the schedule has 10 epochs or 8,000. The live figures of every epoch travel in the heartbeat
 * instead, which costs the history nothing.
 */
public final class ProgressSignals {

  /** Signals per fold attempt at most (one per 5 % of the schedule). */
  public static final int PER_FOLD = 20;

  private int lastStep = -1;
  private boolean first = true;

  /** Starts counting at {@code epoch}: a resumed attempt does not signal the step it resumed in. */
  public void startAt(int epoch, int numEpochs) {
    lastStep = step(epoch, numEpochs);
  }

  /** Whether the epoch just finished ({@code epochsDone} of {@code numEpochs}) is signalled. */
  public boolean due(int epochsDone, int numEpochs) {
    int step = step(epochsDone, numEpochs);
    boolean due = first || step > lastStep;
    first = false;
    lastStep = Math.max(lastStep, step);
    return due;
  }

  private static int step(int epochsDone, int numEpochs) {
    return numEpochs <= 0 ? 0 : (int) ((long) Math.min(epochsDone, numEpochs) * PER_FOLD / numEpochs);
  }
}
