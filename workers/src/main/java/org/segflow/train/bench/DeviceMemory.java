package org.segflow.train.bench;

import ai.djl.Device;
import ai.djl.util.cuda.CudaUtils;
import java.lang.management.MemoryUsage;

/**
 * Device memory in use, as far as the engine lets Java see it: on CUDA the whole device's used bytes
 * (cudaMemGetInfo, so libtorch's cached blocks count); nothing on the CPU or on MPS, where the
 * memory is the process's own (see {@link ProcessMemory}).
 */
public final class DeviceMemory {

  private DeviceMemory() {}

  /** Bytes in use on {@code device}, or -1 where the engine cannot tell. */
  public static long usedBytes(Device device) {
    if (!device.isGpu()) {
      return -1;
    }
    MemoryUsage usage = CudaUtils.getGpuMemory(device);
    return usage.getCommitted();
  }
}
