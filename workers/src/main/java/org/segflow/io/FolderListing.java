package org.segflow.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/** A folder's entries as people see them: sorted by name, without hidden files and OS thumbnails. */
public final class FolderListing {

  private static final Set<String> JUNK = Set.of("thumbs.db", "desktop.ini");

  private FolderListing() {}

  public static List<Path> entries(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> {
        String n = p.getFileName().toString();
        return !n.startsWith(".") && !JUNK.contains(n.toLowerCase(Locale.ROOT));
      }).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  public static List<Path> folders(Path dir) {
    return entries(dir).stream().filter(Files::isDirectory).toList();
  }

  public static List<Path> files(Path dir) {
    return entries(dir).stream().filter(Files::isRegularFile).toList();
  }
}
