package org.segflow.net;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The CPU a benchmark ran on, printed with every bench figure: its model, the cores this JVM may use, and
 * the vector-instruction flags that decide which kernels PyTorch's CPU backend picks (avx2, avx512, amx on
 * x86; asimd, sve on ARM). Read from /proc/cpuinfo on Linux and sysctl on macOS; "unknown" elsewhere.
 */
public record HostCpu(String model, int cores, List<String> flags, String platform) {

  /** The flags that matter for PyTorch's CPU kernels, in this order; the others (fpu, tsc ...) are left out. */
  public static final List<String> VECTOR_FLAGS = List.of("sse4_2", "avx", "avx2", "fma", "f16c", "avx512f", "avx512bw",
      "avx512vl", "avx512_vnni", "avx512_bf16", "avx512_fp16", "amx_tile", "amx_bf16", "amx_int8", "asimd",
      "asimdhp", "asimddp", "bf16", "i8mm", "sve", "sve2");

  public HostCpu {
    flags = List.copyOf(flags);
  }

  /** This machine's CPU, read once. */
  public static HostCpu current() {
    return Current.CPU;
  }

  private static final class Current {
    static final HostCpu CPU = read();
  }

  private static HostCpu read() {
    int cores = Runtime.getRuntime().availableProcessors();
    String platform = NativePlatform.current();
    Path cpuinfo = Path.of("/proc/cpuinfo");
    if (Files.isReadable(cpuinfo)) {
      try {
        return parseCpuinfo(Files.readString(cpuinfo, StandardCharsets.UTF_8), cores, platform);
      } catch (IOException e) {
        // fall through: unknown
      }
    }
    if (platform.startsWith("osx")) {
      String model = sysctl("machdep.cpu.brand_string");
      String features = (sysctl("machdep.cpu.features") + " " + sysctl("machdep.cpu.leaf7_features"))
          .toLowerCase(Locale.ROOT).replace('.', '_');
      return new HostCpu(model.isBlank() ? "unknown" : model, cores, vectorFlags(features), platform);
    }
    return new HostCpu("unknown", cores, List.of(), platform);
  }

  /** From /proc/cpuinfo's text: the first processor's model name (x86) or CPU part (ARM) and flags/Features. */
  public static HostCpu parseCpuinfo(String text, int cores, String platform) {
    String model = null;
    String flags = "";
    for (String line : text.split("\n")) {
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String key = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
      String value = line.substring(colon + 1).strip();
      if (model == null && (key.equals("model name") || key.equals("hardware") || key.equals("cpu part"))) {
        model = value;
      } else if (flags.isEmpty() && (key.equals("flags") || key.equals("features"))) {
        flags = value;
      }
    }
    return new HostCpu(model == null || model.isBlank() ? "unknown" : model, cores, vectorFlags(flags), platform);
  }

  /**
   * Whether the CPU computes in bfloat16 natively (avx512_bf16 or AMX on x86): oneDNN's bfloat16
   * convolutions are then about twice as fast as float32 ones; elsewhere they are emulated and slower.
   */
  public boolean hasNativeBFloat16() {
    return flags.contains("avx512_bf16") || flags.contains("amx_bf16");
  }

  private static List<String> vectorFlags(String all) {
    Set<String> present = Set.copyOf(Arrays.asList(all.strip().split("\\s+")));
    return VECTOR_FLAGS.stream().filter(present::contains).toList();
  }

  /** "AMD EPYC, 2 cores, flags avx avx2 fma ... (linux-x86_64)": the line every bench figure carries. */
  public String describe() {
    return String.format(Locale.ROOT, "%s, %d core%s, flags %s (%s)", model, cores, cores == 1 ? "" : "s",
        flags.isEmpty() ? "unknown" : String.join(" ", flags), platform);
  }

  private static String sysctl(String name) {
    try {
      Process p = new ProcessBuilder("sysctl", "-n", name).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      return p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : "";
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }
}
