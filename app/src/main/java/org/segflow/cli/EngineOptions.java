package org.segflow.cli;

import ai.djl.Device;
import org.segflow.net.Engines;
import picocli.CommandLine.Option;

/** Where the network runs: the device and PyTorch's intra-op threads (commands that train or predict). */
final class EngineOptions {

  @Option(names = "--device", defaultValue = "auto",
      description = "cpu, gpu or auto (the GPU when DJL sees one). Default: ${DEFAULT-VALUE}.")
  String device;

  @Option(names = "--threads", defaultValue = "2", description = "Engine threads. Default: ${DEFAULT-VALUE}.")
  int threads;

  /** The device, with the engine's thread count set. */
  Device resolve() {
    return Engines.device(device, Engines.pytorch(threads));
  }
}
