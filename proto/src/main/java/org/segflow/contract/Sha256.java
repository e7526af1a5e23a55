package org.segflow.contract;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The lower-case hex sha256 that every reference between workflows and activities carries.
 *
 * <p>A large file (a checkpoint, a preprocessed case) is read once per process while it stays the same
 * file: its sha256 is remembered with the file's identity, size and modification time, and answered
 * again while all three are unchanged, the assumption make, rsync and git's index make. A file modified
 * less than {@link #SETTLED} before it was hashed is not remembered (a rewrite within the clock's
 * granularity could keep all three; git calls such entries "racily clean"), nor is one that changed
 * while it was read.
 */
public final class Sha256 {

  /** Files smaller than this are read every time: they cost less than the bookkeeping is worth. */
  static final long REMEMBERED_FROM_BYTES = 1 << 20;
  /** How long before the hashing a file's last modification must lie for its sha256 to be remembered. */
  static final long SETTLED = 2_000;
  private static final int REMEMBERED_FILES = 1024;

  private static final Map<Path, Remembered> REMEMBERED = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Path, Remembered> eldest) {
      return size() > REMEMBERED_FILES;
    }
  };

  private record Remembered(Object fileKey, long size, FileTime modified, String sha256) {

    boolean describes(BasicFileAttributes a) {
      return Objects.equals(fileKey, a.fileKey()) && size == a.size() && modified.equals(a.lastModifiedTime());
    }
  }

  private Sha256() {}

  /** Of a file, read in 64 KiB blocks (never whole into memory), or remembered as the class says. */
  public static String of(Path file) {
    Path key = file.toAbsolutePath().normalize();
    BasicFileAttributes before = attributes(file);
    if (before != null && before.size() >= REMEMBERED_FROM_BYTES) {
      synchronized (REMEMBERED) {
        Remembered r = REMEMBERED.get(key);
        if (r != null && r.describes(before)) {
          return r.sha256();
        }
      }
    }
    long start = System.currentTimeMillis();
    String sha256 = read(file);
    if (before != null && before.size() >= REMEMBERED_FROM_BYTES) {
      BasicFileAttributes after = attributes(file);
      Remembered r = new Remembered(before.fileKey(), before.size(), before.lastModifiedTime(), sha256);
      boolean settled = after != null && r.describes(after)
          && start - before.lastModifiedTime().toMillis() >= SETTLED;
      synchronized (REMEMBERED) {
        if (settled) {
          REMEMBERED.put(key, r);
        } else {
          REMEMBERED.remove(key);
        }
      }
    }
    return sha256;
  }

  public static String of(byte[] bytes) {
    return HexFormat.of().formatHex(digest().digest(bytes));
  }

  private static String read(Path file) {
    MessageDigest md = digest();
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) >= 0; ) {
        md.update(buf, 0, n);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return HexFormat.of().formatHex(md.digest());
  }

  /** The file's attributes, or null when they cannot be read (reading the file then reports why). */
  private static BasicFileAttributes attributes(Path file) {
    try {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      return a.isRegularFile() ? a : null;
    } catch (IOException e) {
      return null;
    }
  }

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
