package org.segflow.contract;

/**
 * A file produced by a step, passed between activities instead of its content: the path relative
 * to SEGFLOW_HOME ('/'-separated) and its sha256 (hex), so a worker on another machine with the
 * same shared volume finds it and can tell whether it changed since.
 */
public record StepRef(String path, String sha256) {

  public StepRef {
    if (path == null || path.isBlank()) {
      throw new IllegalArgumentException("a step reference needs a path");
    }
  }
}
