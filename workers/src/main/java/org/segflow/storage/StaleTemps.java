package org.segflow.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes what {@link AtomicFiles} left behind when its writer was killed ({@code kill -9}, an
 * OOM-killed container): {@code .NAME.tmp-<uuid>} and {@code .NAME.old-<uuid>} entries.
 *
 * <p>The rule: an entry is stale when nothing in its whole tree was modified for {@link #STALE_AFTER}.
 * That is safe with writers on other machines sharing the volume, where no pid can be checked: a live
 * writer touches its temps every {@link LiveTemps#TOUCH_EVERY} (12 times per {@code STALE_AFTER}) even
 * when it writes nothing, so only a writer that stopped running lets one age that far. The margin also
 * absorbs clock differences between machines. Entries this process is still filling are never removed.
 */
public final class StaleTemps {

  /** How long a temporary entry must have been left untouched before it is removed. */
  public static final Duration STALE_AFTER = Duration.ofHours(1);

  private static final Logger LOG = LoggerFactory.getLogger(StaleTemps.class);
  private static final Pattern TEMP = Pattern.compile(
      "\\..+\\.(tmp|old)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  private StaleTemps() {}

  /** Removes the stale temporary entries directly in {@code dir} (if it exists); returns them. */
  public static List<Path> sweep(Path dir) {
    return sweep(dir, Instant.now());
  }

  static List<Path> sweep(Path dir, Instant now) {
    List<Path> removed = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return removed;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir,
        p -> TEMP.matcher(p.getFileName().toString()).matches())) {
      for (Path p : entries) {
        if (LiveTemps.isLive(p)) {
          continue;
        }
        Instant newest;
        try {
          newest = newestModification(p);
        } catch (NoSuchFileException gone) {
          continue; // moved into place or removed by another sweep meanwhile
        }
        if (newest.isBefore(now.minus(STALE_AFTER))) {
          AtomicFiles.deleteRecursively(p);
          LOG.info("removed {}: a temporary entry left by a writer that stopped (nothing in it modified since {},"
              + " more than {} ago)", p, newest, STALE_AFTER);
          removed.add(p);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not list " + dir + " for stale temporary entries", e);
    }
    return removed;
  }

  private static Instant newestModification(Path root) throws IOException {
    FileTime[] newest = {Files.getLastModifiedTime(root)};
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
        return keep(attrs);
      }

      @Override
      public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
        return keep(attrs);
      }

      @Override
      public FileVisitResult visitFileFailed(Path f, IOException e) {
        // something vanished while walking: the tree is changing, so treat it as fresh
        newest[0] = FileTime.from(Instant.MAX);
        return FileVisitResult.TERMINATE;
      }

      private FileVisitResult keep(BasicFileAttributes attrs) {
        if (attrs.lastModifiedTime().compareTo(newest[0]) > 0) {
          newest[0] = attrs.lastModifiedTime();
        }
        return FileVisitResult.CONTINUE;
      }
    });
    return newest[0].toInstant();
  }
}
