package org.segflow.train.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time of this process, all threads (JVM and native OpenMP workers), from /proc/self/stat.
 * On a shared machine it tells how much of a step's wall time was spent computing.
 */
public final class ProcessCpu {

  private static final Path STAT = Path.of("/proc/self/stat");
  /** USER_HZ: 100 on every Linux architecture the JDK runs on. */
  private static final double TICKS_PER_SECOND = 100.0;

  private ProcessCpu() {}

  /** User + system CPU seconds so far, or NaN where /proc is not available. */
  public static double cpuSeconds() {
    try {
      String stat = Files.readString(STAT);
      // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }
}
