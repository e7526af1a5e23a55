package org.segflow.train.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident memory of this process from /proc/self/status (Linux). */
public final class ProcessMemory {

  private static final Path STATUS = Path.of("/proc/self/status");

  private ProcessMemory() {}

  /** Peak resident set size (VmHWM) in bytes, or -1 where /proc is not available. */
  public static long peakRssBytes() {
    return field("VmHWM:");
  }

  /** Current resident set size (VmRSS) in bytes, or -1 where /proc is not available. */
  public static long rssBytes() {
    return field("VmRSS:");
  }

  private static long field(String name) {
    try {
      for (String line : Files.readAllLines(STATUS)) {
        if (line.startsWith(name)) {
          // "VmHWM:   123456 kB"
          String[] parts = line.substring(name.length()).trim().split("\\s+");
          return Long.parseLong(parts[0]) * 1024;
        }
      }
      return -1;
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
  }
}
