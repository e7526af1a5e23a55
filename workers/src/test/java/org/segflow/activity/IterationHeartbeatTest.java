package org.segflow.activity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A fold beats within an epoch often enough for its activity's heartbeat timeout. */
class IterationHeartbeatTest {

  @Test
  void iterationHeartbeatsComeAtLeastThreeTimesPerHeartbeatTimeout() {
    assertEquals(TrainingActivitiesImpl.ITERATION_HEARTBEAT, TrainingActivitiesImpl.iterationHeartbeat(Duration.ZERO));
    assertEquals(TrainingActivitiesImpl.ITERATION_HEARTBEAT,
        TrainingActivitiesImpl.iterationHeartbeat(Duration.ofMinutes(5)));
    assertEquals(Duration.ofSeconds(2), TrainingActivitiesImpl.iterationHeartbeat(Duration.ofSeconds(6)));
  }
}
