package org.segflow.activity;

import org.segflow.contract.FoldHeartbeat;
import org.segflow.contract.FoldProgress;

/**
 * Where a fold's progress goes: the activity heartbeat and the workflow's progress signal. An
 * interface so that {@link HeartbeatListener} is testable without Temporal.
 */
public interface FoldReporter {

  /** Throws {@link io.temporal.client.ActivityCompletionException} when the activity was cancelled. */
  void heartbeat(FoldHeartbeat details);

  /** Best effort: a lost progress update must not fail the training. */
  void progress(FoldProgress progress);
}
