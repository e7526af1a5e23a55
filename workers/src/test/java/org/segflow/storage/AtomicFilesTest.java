package org.segflow.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

  @TempDir
  Path dir;

  private List<String> names() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void anErrorWhileBuildingAFolderLeavesNoTempAndKeepsTheOldFolder() throws IOException {
    Path target = dir.resolve("Dataset001_X");
    AtomicFiles.publishDirectory(target, tmp -> Files.writeString(tmp.resolve("a.txt"), "old"));
    OutOfMemoryError oom = new OutOfMemoryError("simulated");
    OutOfMemoryError thrown = assertThrows(OutOfMemoryError.class, () -> AtomicFiles.publishDirectory(target, tmp -> {
      Files.writeString(tmp.resolve("a.txt"), "half");
      throw oom;
    }));
    assertSame(oom, thrown);
    assertEquals(List.of("Dataset001_X"), names());
    assertEquals("old", Files.readString(target.resolve("a.txt")));
  }

  @Test
  void anErrorWhileWritingAFileLeavesNoTemp() throws IOException {
    Path target = dir.resolve("plans.json");
    assertThrows(StackOverflowError.class, () -> AtomicFiles.write(target, tmp -> {
      Files.writeString(tmp, "half");
      throw new StackOverflowError("simulated");
    }));
    assertEquals(List.of(), names());
    UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> AtomicFiles.write(target, tmp -> {
      Files.writeString(tmp, "half");
      throw new IOException("disk full");
    }));
    assertEquals("could not write " + target, e.getMessage());
    assertEquals(List.of(), names());
  }

  @Test
  void aPublishedFolderReplacesTheOldOneWithNothingLeftBeside() throws IOException {
    Path target = dir.resolve("out");
    AtomicFiles.publishDirectory(target, tmp -> Files.writeString(tmp.resolve("a.txt"), "1"));
    AtomicFiles.publishDirectory(target, tmp -> Files.writeString(tmp.resolve("b.txt"), "2"));
    assertEquals(List.of("out"), names());
    assertFalse(Files.exists(target.resolve("a.txt")));
    assertTrue(Files.exists(target.resolve("b.txt")));
  }
}
