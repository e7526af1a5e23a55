package org.segflow.contract;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Where a pipeline stands ({@link PipelineProgress#stage()}): its steps in order, then how it ended. On
 * the wire and on screen each is its lower-case word ({@link #word()}: ingest, ..., find-best, ...,
 * cancelled), as the progress query has always answered; the find-best step's former word
 * {@code ensemble} still reads as {@link #FIND_BEST}.
 */
public enum PipelineStage {
  INGEST("ingest"),
  CONVERT("convert"),
  FINGERPRINT("fingerprint"),
  PLAN("plan"),
  TRAIN("train"),
  FIND_BEST("find-best"),
  PREDICT("predict"),
  DONE("done"),
  FAILED("failed"),
  CANCELLED("cancelled");

  private final String word;

  PipelineStage(String word) {
    this.word = word;
  }

  @JsonValue
  public String word() {
    return word;
  }

  /** The stage a word names; {@code ensemble} is find-best's former word. */
  @JsonCreator
  public static PipelineStage of(String word) {
    if ("ensemble".equals(word)) {
      return FIND_BEST;
    }
    for (PipelineStage s : values()) {
      if (s.word.equals(word)) {
        return s;
      }
    }
    throw new IllegalArgumentException("no pipeline stage '" + word + "'");
  }

  /** Whether the pipeline has ended (done, failed or cancelled). */
  public boolean ended() {
    return this == DONE || this == FAILED || this == CANCELLED;
  }

  @Override
  public String toString() {
    return word;
  }
}
