package org.segflow.contract;

/**
 * The heartbeat details of a fold training: the epochs done, the checkpoint that holds them
 * (relative to SEGFLOW_HOME) and the best EMA pseudo Dice so far. Informative only: heartbeats are
 * throttled and the last can be lost, so a retry resumes from the newest checkpoint on disk.
 */
public record FoldHeartbeat(int epoch, String checkpoint, double bestEma) {}
