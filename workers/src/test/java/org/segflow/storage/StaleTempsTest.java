package org.segflow.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaleTempsTest {

  @TempDir
  Path dir;

  /** A temp folder with a file inside, everything last modified {@code age} ago. */
  static Path leftover(Path dir, String name, Duration age) {
    try {
      Path tmp = dir.resolve("." + name + ".tmp-" + UUID.randomUUID());
      Files.createDirectories(tmp.resolve("sub"));
      Files.writeString(tmp.resolve("sub/case.npy"), "x");
      age(tmp, age);
      return tmp;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void age(Path root, Duration age) throws IOException {
    FileTime then = FileTime.from(Instant.now().minus(age));
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.setLastModifiedTime(p, then);
      }
    }
  }

  @Test
  void removesOnlyTempsUntouchedForLongerThanTheStaleAge() throws IOException {
    Path stale = leftover(dir, "Dataset001_X", Duration.ofHours(2));
    Path staleFile = dir.resolve(".dataset_fingerprint.json.tmp-" + UUID.randomUUID());
    Files.writeString(staleFile, "{");
    age(staleFile, Duration.ofHours(2));
    Path staleOld = leftover(dir, "nnUNetPlans_2d", Duration.ofHours(3));
    Path renamedOld = staleOld.resolveSibling(staleOld.getFileName().toString().replace(".tmp-", ".old-"));
    Files.move(staleOld, renamedOld);
    Path fresh = leftover(dir, "Dataset002_Y", Duration.ofMinutes(50));
    // old, but one file deep inside was written a minute ago: its writer is still at work
    Path stillFilled = leftover(dir, "Dataset003_Z", Duration.ofHours(5));
    Files.setLastModifiedTime(stillFilled.resolve("sub/case.npy"), FileTime.from(Instant.now().minusSeconds(60)));
    // old names that are not our temps
    Path hidden = dir.resolve(".hidden");
    Files.createDirectories(hidden);
    Path output = dir.resolve("Dataset004_W.tmp-" + UUID.randomUUID());
    Files.createDirectories(output);
    age(hidden, Duration.ofDays(3));
    age(output, Duration.ofDays(3));

    List<Path> removed = StaleTemps.sweep(dir);

    assertEquals(java.util.Set.of(stale, staleFile, renamedOld), java.util.Set.copyOf(removed));
    for (Path p : removed) {
      assertTrue(!Files.exists(p), p + " removed");
    }
    for (Path p : List.of(fresh, stillFilled, hidden, output)) {
      assertTrue(Files.exists(p), p + " kept");
    }
  }

  @Test
  void aTempThisProcessIsFillingIsKeptHoweverOldItLooks() {
    Path target = dir.resolve("Dataset005_V");
    List<List<Path>> sweptMeanwhile = new java.util.ArrayList<>();
    AtomicFiles.publishDirectory(target, tmp -> {
      Files.writeString(tmp.resolve("a.txt"), "a");
      age(tmp, Duration.ofDays(1));
      sweptMeanwhile.add(StaleTemps.sweep(dir));
      assertTrue(Files.exists(tmp.resolve("a.txt")));
    });
    assertEquals(List.of(List.of()), sweptMeanwhile);
    assertTrue(Files.exists(target.resolve("a.txt")));
  }

  @Test
  void aMissingFolderHasNothingToSweep() {
    assertEquals(List.of(), StaleTemps.sweep(dir.resolve("absent")));
  }
}
