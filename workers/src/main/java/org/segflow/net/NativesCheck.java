package org.segflow.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * Tells before the engine starts whether PyTorch's natives for this machine are at hand, so that a
 * jar built elsewhere fails with what to do instead of DJL trying a download (offline it cannot;
 * online it would fetch hundreds of MB behind the user's back).
 */
public final class NativesCheck {

  /** Platforms PyTorch 2.7.1 has CPU natives for on Maven Central; cu128 exists for linux-x86_64. */
  public static final List<String> SUPPORTED = List.of("linux-x86_64", "linux-aarch64", "osx-aarch64");

  /**
   * What is known without loading anything.
   *
   * @param platform this machine, e.g. osx-aarch64
   * @param bundled the classifier of the natives jar on the class path (empty when built with -Pcuda)
   * @param buildFlavor the flavour the build was made for: cpu, or cu128 with -Pcuda
   * @param libraryPath PYTORCH_LIBRARY_PATH is set: the user brings libtorch
   * @param cachedPlatforms platforms whose natives are already unpacked in the engine cache
   * @param downloadsAllowed the user switched DJL's offline mode off explicitly
   */
  public record Situation(String platform, Optional<String> bundled, String buildFlavor, boolean libraryPath,
      List<String> cachedPlatforms, boolean downloadsAllowed) {}

  private NativesCheck() {}

  /** The one-line problem, or empty when the engine can start. */
  public static Optional<String> problem(Situation s) {
    if (s.libraryPath() || s.downloadsAllowed() || s.bundled().filter(s.platform()::equals).isPresent()
        || s.cachedPlatforms().contains(s.platform())) {
      return Optional.empty();
    }
    if (!SUPPORTED.contains(s.platform())) {
      return Optional.of("PyTorch 2.7.1 has no natives for this machine (" + s.platform() + "); segflow runs on "
          + String.join(", ", SUPPORTED) + " (CPU), linux-x86_64 with CUDA 12.8, and osx-aarch64 with MPS");
    }
    if (s.bundled().isEmpty() && !"cpu".equals(s.buildFlavor())) {
      return Optional.of("this segflow was built with -Pcuda and bundles no libtorch: set PYTORCH_LIBRARY_PATH to "
          + "the lib directory of libtorch 2.7.1+" + s.buildFlavor() + " (with PYTORCH_VERSION=2.7.1 PYTORCH_FLAVOR="
          + s.buildFlavor() + "), or rebuild without -Pcuda: ./mvnw -B -DskipTests package");
    }
    return Optional.of("this segflow jar bundles PyTorch natives for " + s.bundled().orElse("no platform")
        + " but this machine is " + s.platform() + ": rebuild here with ./mvnw -B -DskipTests package (the build "
        + "bundles the natives of the machine it runs on), or set PYTORCH_LIBRARY_PATH to a libtorch 2.7.1");
  }

  /** This process's situation: class path, environment, engine cache. */
  public static Situation current() {
    Properties bundled = resource("native/lib/pytorch.properties");
    Properties build = resource("org/segflow/net/natives.properties");
    String offline = setting("DJL_OFFLINE", "ai.djl.offline");
    return new Situation(NativePlatform.current(), Optional.ofNullable(bundled.getProperty("classifier")),
        build.getProperty("flavor", "cpu"), setting("PYTORCH_LIBRARY_PATH", "PYTORCH_LIBRARY_PATH") != null,
        cachedPlatforms(engineCache()), offline != null && !Boolean.parseBoolean(offline));
  }

  /** Where DJL unpacks natives: ENGINE_CACHE_DIR, else DJL_CACHE_DIR, else ~/.djl.ai. */
  static Path engineCache() {
    String dir = setting("ENGINE_CACHE_DIR", "ENGINE_CACHE_DIR");
    if (dir == null) {
      dir = setting("DJL_CACHE_DIR", "DJL_CACHE_DIR");
    }
    return dir != null ? Path.of(dir) : Path.of(System.getProperty("user.home"), ".djl.ai");
  }

  /** DJL names each unpacked natives directory pytorch/VERSION-FLAVOR-PLATFORM. */
  static List<String> cachedPlatforms(Path cache) {
    Path dir = cache.resolve("pytorch");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.filter(Files::isDirectory).map(p -> p.getFileName().toString())
          .flatMap(n -> SUPPORTED.stream().filter(platform -> n.endsWith("-" + platform))).distinct().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String setting(String env, String property) {
    String value = System.getenv(env);
    return value != null ? value : System.getProperty(property);
  }

  private static Properties resource(String name) {
    Properties p = new Properties();
    try (InputStream in = NativesCheck.class.getClassLoader().getResourceAsStream(name)) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p;
  }
}
