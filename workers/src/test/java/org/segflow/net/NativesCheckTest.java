package org.segflow.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segflow.net.NativesCheck.Situation;

class NativesCheckTest {

  private static Situation on(String platform, String bundled) {
    return new Situation(platform, Optional.ofNullable(bundled), "cpu", false, List.of(), false);
  }

  @Test
  void theNativesOfThisPlatformInTheJarAreEnough() {
    assertEquals(Optional.empty(), NativesCheck.problem(on("osx-aarch64", "osx-aarch64")));
    assertEquals(Optional.empty(), NativesCheck.problem(on("linux-x86_64", "linux-x86_64")));
  }

  @Test
  void aJarBuiltOnAnotherPlatformSaysWhatToBuildInsteadOfDownloading() {
    String p = NativesCheck.problem(on("osx-aarch64", "linux-x86_64")).orElseThrow();
    assertTrue(p.contains("bundles PyTorch natives for linux-x86_64 but this machine is osx-aarch64"), p);
    assertTrue(p.contains("./mvnw -B -DskipTests package"), p);
  }

  @Test
  void aCudaBuildNeedsALibtorchOrAFilledCache() {
    Situation cuda = new Situation("linux-x86_64", Optional.empty(), "cu128", false, List.of(), false);
    String p = NativesCheck.problem(cuda).orElseThrow();
    assertTrue(p.contains("built with -Pcuda") && p.contains("PYTORCH_LIBRARY_PATH") && p.contains("cu128"), p);
    assertEquals(Optional.empty(), NativesCheck.problem(
        new Situation("linux-x86_64", Optional.empty(), "cu128", true, List.of(), false)));
    assertEquals(Optional.empty(), NativesCheck.problem(
        new Situation("linux-x86_64", Optional.empty(), "cu128", false, List.of("linux-x86_64"), false)));
  }

  @Test
  void aPlatformWithoutPyTorchNativesIsNamed() {
    String p = NativesCheck.problem(on("osx-x86_64", "linux-x86_64")).orElseThrow();
    assertTrue(p.contains("no natives for this machine (osx-x86_64)"), p);
  }

  @Test
  void anExplicitlyOnlineEngineMayDownload() {
    assertEquals(Optional.empty(), NativesCheck.problem(
        new Situation("osx-aarch64", Optional.of("linux-x86_64"), "cpu", false, List.of(), true)));
  }

  @Test
  void readsTheEngineCacheAsDjlLaysItOut(@TempDir Path cache) throws Exception {
    assertEquals(List.of(), NativesCheck.cachedPlatforms(cache));
    Files.createDirectories(cache.resolve("pytorch/2.7.1-cu128-linux-x86_64"));
    Files.createDirectories(cache.resolve("pytorch/other"));
    assertEquals(List.of("linux-x86_64"), NativesCheck.cachedPlatforms(cache));
  }

  @Test
  void thisBuildRunsHere() {
    // the surefire class path carries this machine's natives: the check must let the engine start
    assertEquals(Optional.empty(), NativesCheck.problem(NativesCheck.current()));
    assertEquals("cpu", NativesCheck.current().buildFlavor());
  }
}
