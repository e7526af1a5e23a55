package org.segflow;

/** The engine version recorded in manifests and cache keys: outputs of another version are redone. */
public final class SegflowVersion {

  public static final String VERSION = "segflow 0.1.0";

  private SegflowVersion() {}
}
