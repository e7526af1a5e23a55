package org.segflow;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** Waiting on work handed to a thread pool, with its failure rethrown as the task threw it. */
public final class Futures {

  private Futures() {}

  /**
   * The result of {@code future}; a RuntimeException or Error of the task is rethrown as is (so an
   * InvalidInputException stays one), an interrupt is kept and reported as "{@code what} interrupted".
   */
  public static <T> T join(Future<T> future, String what) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(what + " interrupted", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(what + " failed", cause);
    }
  }
}
