package org.segflow.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
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

  /** Lets {@code writer} fill a temporary sibling file, then renames it over {@code target}. */
  public static void write(Path target, FileWriter writer) {
    Path tmp = temporarySibling(target);
    try {
      Files.createDirectories(target.toAbsolutePath().getParent());
      writer.writeTo(tmp);
      move(tmp, target);
    } catch (IOException e) {
      deleteQuietly(tmp);
      throw new UncheckedIOException("could not write " + target, e);
    } catch (RuntimeException e) {
      deleteQuietly(tmp);
      throw e;
    }
  }

  /**
   * Builds a whole folder under a temporary sibling name, then swaps it in for {@code target}
   * (an older {@code target} is removed only after the new one is complete).
   */
  public static void publishDirectory(Path target, FileWriter builder) {
    Path tmp = temporarySibling(target);
    Path old = target.resolveSibling("." + target.getFileName() + ".old-" + UUID.randomUUID());
    try {
      Files.createDirectories(tmp);
      builder.writeTo(tmp);
      if (Files.exists(target)) {
        move(target, old);
      }
      move(tmp, target);
      deleteRecursively(old);
    } catch (IOException e) {
      deleteRecursively(tmp);
      throw new UncheckedIOException("could not write " + target, e);
    } catch (RuntimeException e) {
      deleteRecursively(tmp);
      throw e;
    }
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

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // best effort: a leftover temp file has a dot-name and is never mistaken for output
    }
  }

  public static void deleteRecursively(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.delete(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
          Files.delete(dir);
          return FileVisitResult.CONTINUE;
        }
      });
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
