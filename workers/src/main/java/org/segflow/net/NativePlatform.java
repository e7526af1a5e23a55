package org.segflow.net;

import java.util.Locale;

/** The os-arch name PyTorch's natives use (DJL's classifiers): linux-x86_64, osx-aarch64, ... */
public final class NativePlatform {

  private NativePlatform() {}

  /** This JVM's platform. */
  public static String current() {
    return of(System.getProperty("os.name", ""), System.getProperty("os.arch", ""));
  }

  /** From Java's os.name and os.arch (macOS reports "Mac OS X" and aarch64, Linux x86-64 "amd64"). */
  public static String of(String osName, String osArch) {
    String os = osName.toLowerCase(Locale.ROOT);
    String system = os.startsWith("mac") || os.startsWith("darwin") ? "osx"
        : os.startsWith("windows") ? "win"
        : os.startsWith("linux") ? "linux"
        : os.replace(' ', '_');
    String arch = switch (osArch.toLowerCase(Locale.ROOT)) {
      case "amd64", "x86_64", "x64" -> "x86_64";
      case "aarch64", "arm64" -> "aarch64";
      default -> osArch.toLowerCase(Locale.ROOT);
    };
    return system + "-" + arch;
  }
}
