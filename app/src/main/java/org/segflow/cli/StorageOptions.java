package org.segflow.cli;

import java.nio.file.Path;
import org.segflow.storage.SegflowPaths;
import picocli.CommandLine.Option;

/** Where data lives: SEGFLOW_HOME and nnU-Net's nnUNet_raw/_preprocessed/_results, or --home. */
final class StorageOptions {

  @Option(names = "--home", paramLabel = "DIR",
      description = "Storage root (default: $SEGFLOW_HOME, else ./segflow-data; nnUNet_raw, "
          + "nnUNet_preprocessed and nnUNet_results override its three folders).")
  Path home;

  SegflowPaths paths() {
    return home == null ? SegflowPaths.fromEnvironment() : SegflowPaths.under(home);
  }
}
