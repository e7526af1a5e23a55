package org.segflow.bridge;

/**
 * What the bridge did with each record, for metrics (segflow_events_total) and logs. Called on the
 * bridge's thread after the outcome is durable (workflow started or found, dead letter acknowledged)
 * and before the offset is committed.
 */
@FunctionalInterface
public interface BridgeListener {

  /** started, duplicate or dead_lettered; {@code reason} is set for dead letters only. */
  enum Outcome { STARTED, DUPLICATE, DEAD_LETTERED }

  void handled(String topic, Outcome outcome, String workflowIdOrReason);

  BridgeListener NONE = (t, o, d) -> { };
}
