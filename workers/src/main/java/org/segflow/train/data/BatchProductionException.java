package org.segflow.train.data;

/** A background worker failed while making a batch; the cause is the worker's exception. */
public final class BatchProductionException extends RuntimeException {

  public BatchProductionException(String message, Throwable cause) {
    super(message, cause);
  }
}
