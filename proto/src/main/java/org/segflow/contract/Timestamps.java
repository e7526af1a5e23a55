package org.segflow.contract;

import com.google.protobuf.Timestamp;
import java.time.Instant;

/** Protobuf timestamps (the events' and Temporal's) from and to {@link Instant}. */
public final class Timestamps {

  private Timestamps() {}

  public static Timestamp of(Instant t) {
    return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
  }

  public static Timestamp ofEpochMilli(long millis) {
    return of(Instant.ofEpochMilli(millis));
  }

  public static Timestamp now() {
    return of(Instant.now());
  }

  public static Instant toInstant(Timestamp t) {
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }
}
