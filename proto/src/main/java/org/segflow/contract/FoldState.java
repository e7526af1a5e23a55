package org.segflow.contract;

/** Where a fold stands in a pipeline. */
public enum FoldState {
  PENDING, RUNNING, DONE, FAILED, CANCELLED
}
