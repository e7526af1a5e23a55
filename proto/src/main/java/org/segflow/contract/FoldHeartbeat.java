package org.segflow.contract;

/**
 * The heartbeat details of a fold training: the epochs done, the checkpoint that holds them
 * (relative to SEGFLOW_HOME), the best EMA pseudo Dice so far and the fold's whole progress (the
 * last epoch's losses and Dice, its epoch time; null before the training loop reports). The heartbeat
 * is where a fold's live progress is read ({@code segflow status}): it costs the workflow's history
 * nothing, unlike a signal. Informative only: heartbeats are throttled and the last can be lost, so
 * a retry resumes from the newest checkpoint on disk.
 */
public record FoldHeartbeat(int epoch, String checkpoint, double bestEma, FoldProgress progress) {

  /** A heartbeat without the progress figures. */
  public FoldHeartbeat(int epoch, String checkpoint, double bestEma) {
    this(epoch, checkpoint, bestEma, null);
  }
}
