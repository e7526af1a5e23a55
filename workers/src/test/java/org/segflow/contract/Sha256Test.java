package org.segflow.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Sha256Test {

  private static final FileTime AN_HOUR_AGO = FileTime.from(Instant.now().minusSeconds(3600));

  private static byte[] bytes(int size, int fill) {
    byte[] b = new byte[size];
    Arrays.fill(b, (byte) fill);
    return b;
  }

  /** Rewrites the file's bytes in place (same file, same size) and puts its modification time back. */
  private static void rewriteKeepingAttributes(Path f, byte[] content) throws Exception {
    FileTime modified = Files.getLastModifiedTime(f);
    Files.write(f, content);
    Files.setLastModifiedTime(f, modified);
  }

  @Test
  void aSettledLargeFileIsReadOnceWhileItsIdentitySizeAndTimeStay(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("checkpoint.zip");
    byte[] a = bytes((int) Sha256.REMEMBERED_FROM_BYTES, 1);
    Files.write(f, a);
    Files.setLastModifiedTime(f, AN_HOUR_AGO);
    assertEquals(Sha256.of(a), Sha256.of(f));

    byte[] b = bytes(a.length, 2);
    rewriteKeepingAttributes(f, b);
    assertEquals(Sha256.of(a), Sha256.of(f), "unchanged attributes: remembered, not read");

    Files.setLastModifiedTime(f, FileTime.from(Instant.now().minusSeconds(60)));
    assertEquals(Sha256.of(b), Sha256.of(f), "a new modification time: read again");
  }

  @Test
  void aFileReplacedByAnotherIsReadAgainEvenWithTheSameSizeAndTime(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("case.npz");
    byte[] a = bytes((int) Sha256.REMEMBERED_FROM_BYTES, 3);
    Files.write(f, a);
    Files.setLastModifiedTime(f, AN_HOUR_AGO);
    assertEquals(Sha256.of(a), Sha256.of(f));

    byte[] b = bytes(a.length, 4);
    Path tmp = dir.resolve("case.npz.tmp");
    Files.write(tmp, b);
    Files.setLastModifiedTime(tmp, AN_HOUR_AGO);
    Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    assertEquals(Sha256.of(b), Sha256.of(f));
  }

  @Test
  void aFileModifiedJustBeforeItWasHashedIsNotRemembered(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("fresh.bin");
    byte[] a = bytes((int) Sha256.REMEMBERED_FROM_BYTES, 5);
    Files.write(f, a);
    assertEquals(Sha256.of(a), Sha256.of(f));

    byte[] b = bytes(a.length, 6);
    rewriteKeepingAttributes(f, b);
    assertEquals(Sha256.of(b), Sha256.of(f), "written within " + Sha256.SETTLED + " ms of the hashing: read again");
  }

  @Test
  void aSmallFileIsReadEveryTime(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("dataset.json");
    byte[] a = bytes(100, 7);
    Files.write(f, a);
    Files.setLastModifiedTime(f, AN_HOUR_AGO);
    assertEquals(Sha256.of(a), Sha256.of(f));

    byte[] b = bytes(100, 8);
    rewriteKeepingAttributes(f, b);
    assertNotEquals(Sha256.of(a), Sha256.of(f));
    assertEquals(Sha256.of(b), Sha256.of(f));
  }
}
