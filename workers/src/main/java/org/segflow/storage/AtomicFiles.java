package org.segflow.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.UUID;

/**
 * Writes that are all-or-nothing: a file or folder appears under its final name only when complete,
 * so a crash never leaves a half file that looks whole.
 */
public final class AtomicFiles {

  private AtomicFiles() {}

  /** Writes bytes to a temporary sibling, then renames it over {@code target}. */
  public static void write(Path target, byte[] bytes) {
    write(target, tmp -> Files.write(tmp, bytes));
  }

  /**
   * Lets {@code writer} fill a temporary sibling file, then renames it over {@code target}. The
   * temporary file is removed on any failure, an Error such as OutOfMemoryError included; after a
   * kill it is left to {@link StaleTemps}.
   */
  public static void write(Path target, FileWriter writer) {
    Path tmp = temporarySibling(target);
    try (LiveTemps.Registration live = LiveTemps.register(tmp)) {
      Files.createDirectories(target.toAbsolutePath().getParent());
      writer.writeTo(tmp);
      move(tmp, target);
    } catch (Throwable t) {
      discard(tmp, t);
      throw unchecked(t, target);
    }
  }

  /**
   * Builds a whole folder under a temporary sibling name, then swaps it in for {@code target}
   * (an older {@code target} is removed only after the new one is complete). The temporary folder is
   * removed on any failure, an Error included; after a kill it is left to {@link StaleTemps}.
   */
  public static void publishDirectory(Path target, FileWriter builder) {
    Path tmp = temporarySibling(target);
    Path old = target.toAbsolutePath().resolveSibling("." + target.getFileName() + ".old-" + UUID.randomUUID());
    try (LiveTemps.Registration live = LiveTemps.register(tmp);
        LiveTemps.Registration oldLive = LiveTemps.register(old)) {
      Files.createDirectories(tmp);
      builder.writeTo(tmp);
      if (Files.exists(target)) {
        move(target, old);
      }
      move(tmp, target);
      deleteRecursively(old);
    } catch (Throwable t) {
      discard(tmp, t);
      throw unchecked(t, target);
    }
  }

  /** Removes a temp after a failure; a failure to remove it is added to {@code cause}, not thrown. */
  private static void discard(Path tmp, Throwable cause) {
    try {
      deleteRecursively(tmp);
    } catch (Throwable e) {
      // a leftover has a dot-name, is never mistaken for output and is swept once stale
      if (e != cause) {
        cause.addSuppressed(e);
      }
    }
  }

  /** An Error is rethrown as it is; an IOException becomes unchecked, naming {@code target}. */
  private static RuntimeException unchecked(Throwable t, Path target) {
    if (t instanceof Error e) {
      throw e;
    }
    if (t instanceof IOException e) {
      return new UncheckedIOException("could not write " + target, e);
    }
    return (RuntimeException) t;
  }

  public static Path temporarySibling(Path target) {
    Path abs = target.toAbsolutePath();
    return abs.resolveSibling("." + abs.getFileName() + ".tmp-" + UUID.randomUUID());
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Deletes a file or a folder tree; what is already gone (another sweep, a rename) is fine. */
  public static void deleteRecursively(Path root) {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.deleteIfExists(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
          if (exc instanceof NoSuchFileException) {
            return FileVisitResult.CONTINUE;
          }
          throw exc;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
          if (exc != null && !(exc instanceof NoSuchFileException)) {
            throw exc;
          }
          Files.deleteIfExists(dir);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (NoSuchFileException gone) {
      // removed meanwhile
    } catch (IOException e) {
      throw new UncheckedIOException("could not delete " + root, e);
    }
  }

  /** Writes a file or fills a folder at the given (temporary) path. */
  @FunctionalInterface
  public interface FileWriter {
    void writeTo(Path path) throws IOException;
  }
}
