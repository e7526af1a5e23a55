package org.segflow.contract;

/**
 * The fold cache's answer for one fold.
 *
 * @param found  whether the fold's final checkpoint and validation were made from the request's plans,
 *               data and budget
 * @param result the fold as training would return it for a finished fold; null when not found
 */
public record FinishedFold(int fold, boolean found, FoldResult result) {

  public static FinishedFold notFound(int fold) {
    return new FinishedFold(fold, false, null);
  }

  public static FinishedFold of(FoldResult result) {
    return new FinishedFold(result.fold(), true, result);
  }
}
