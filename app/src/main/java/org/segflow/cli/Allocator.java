package org.segflow.cli;

/** Which malloc the process runs on, as bin/segflow and the images' entrypoint chose it (LD_PRELOAD). */
final class Allocator {

  private Allocator() {}

  /** "tcmalloc", "jemalloc", or "glibc" when nothing is preloaded. */
  static String current() {
    String preload = System.getenv("LD_PRELOAD");
    if (preload == null || preload.isBlank()) {
      return "glibc";
    }
    if (preload.contains("tcmalloc")) {
      return "tcmalloc";
    }
    return preload.contains("jemalloc") ? "jemalloc" : "glibc (LD_PRELOAD " + preload + ")";
  }
}
