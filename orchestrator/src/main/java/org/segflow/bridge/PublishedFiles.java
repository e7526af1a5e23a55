package org.segflow.bridge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The files an inbox watcher has announced, each as (path, size, modification time), so that a
 * restarted watcher does not announce them again while a file that changed since (other size or
 * time) is announced anew. Kept in a small text file, one {@code size mtimeMillis path} per line,
 * written to a temporary name and renamed into place: a crash leaves the old list or the new one.
 * Without a file ({@link #inMemory}) the list lives as long as the watcher.
 *
 * <p>Paths are written with {@code %}, control characters (a newline in a dropped file's name) and
 * DEL as {@code %XX}, under a {@value #FORMAT} header; files without that header are read
 * as before, paths verbatim. A damaged line is logged and dropped, and the file is rewritten on the next
 * save: at worst its file is announced again, which the workflow id (dataset and sha256) makes harmless,
 * while refusing to start would stop the inbox until someone deleted the file.
 */
public final class PublishedFiles {

  /** The header of the encoded format. */
  static final String FORMAT = "# segflow-watch published v2: size mtimeMillis %-encoded-path";

  private static final Logger LOG = LoggerFactory.getLogger(PublishedFiles.class);

  private record Stamp(long size, long mtime) {}

  private final Path file;
  private final Map<Path, Stamp> stamps = new TreeMap<>();
  private boolean dirty;

  private PublishedFiles(Path file) {
    this.file = file;
  }

  public static PublishedFiles inMemory() {
    return new PublishedFiles(null);
  }

  /** The list kept in {@code file} (created on the first announcement when missing). */
  public static PublishedFiles load(Path file) {
    return load(file, LOG::warn);
  }

  /** As {@link #load(Path)}, reporting damage to {@code warn} (one message per problem). */
  static PublishedFiles load(Path file, Consumer<String> warn) {
    PublishedFiles p = new PublishedFiles(file.toAbsolutePath().normalize());
    if (!Files.isRegularFile(p.file)) {
      return p;
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(p.file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      warn.accept("the watcher's state " + p.file + " cannot be read (" + e
          + "); starting from an empty list and rewriting it: files still in the inbox are announced again");
      p.dirty = true;
      return p;
    }
    boolean encoded = !lines.isEmpty() && lines.get(0).equals(FORMAT);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] parts = line.split(" ", 3);
      try {
        if (parts.length != 3) {
          throw new IllegalArgumentException("3 fields expected");
        }
        Path path = Path.of(encoded ? decode(parts[2]) : parts[2]);
        p.stamps.put(path, new Stamp(Long.parseLong(parts[0]), Long.parseLong(parts[1])));
      } catch (IllegalArgumentException e) { // NumberFormatException, InvalidPathException, bad %XX
        warn.accept(p.file + " line " + (i + 1) + ": expected 'size mtimeMillis path', got '" + line
            + "' (" + e.getMessage() + "); dropped, and the file is rewritten on the next save");
        p.dirty = true;
      }
    }
    return p;
  }

  /** {@code %}, control characters and DEL as {@code %XX} (all ASCII); all else verbatim. */
  static String encode(String path) {
    StringBuilder b = new StringBuilder(path.length());
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == '%' || c < 0x20 || c == 0x7f) {
        b.append('%').append(HexFormat.of().withUpperCase().toHexDigits((byte) c));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  static String decode(String encoded) {
    StringBuilder b = new StringBuilder(encoded.length());
    for (int i = 0; i < encoded.length(); i++) {
      char c = encoded.charAt(i);
      if (c != '%') {
        b.append(c);
        continue;
      }
      int v = i + 3 > encoded.length() ? -1 : HexFormat.fromHexDigits(encoded, i + 1, i + 3);
      if (v < 0 || v > 0x7f) {
        throw new IllegalArgumentException("'%' at " + i + " is not followed by two hex digits of 00..7F");
      }
      b.append((char) v);
      i += 2;
    }
    return b.toString();
  }

  /**
   * Where {@code segflow watch} keeps the list for {@code inbox}: {@code stateDir/published-<12 hex of the
   * sha256 of the inbox's absolute path>.txt}, one list per watched folder.
   */
  public static Path stateFile(Path stateDir, Path inbox) {
    String abs = inbox.toAbsolutePath().normalize().toString();
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(abs.getBytes(StandardCharsets.UTF_8));
      return stateDir.resolve("published-" + HexFormat.of().formatHex(d).substring(0, 12) + ".txt");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The file the list is kept in; null in memory. */
  public Path file() {
    return file;
  }

  public synchronized boolean contains(Path path, long size, long mtimeMillis) {
    return new Stamp(size, mtimeMillis).equals(stamps.get(path));
  }

  /** Records an announcement; {@link #save} makes it durable. */
  public synchronized void add(Path path, long size, long mtimeMillis) {
    dirty |= !new Stamp(size, mtimeMillis).equals(stamps.put(path, new Stamp(size, mtimeMillis)));
  }

  /** Forgets files that are gone, so the list does not grow with every file the inbox ever held. */
  public synchronized void retainOnly(Set<Path> present) {
    dirty |= stamps.keySet().retainAll(present);
  }

  public synchronized int size() {
    return stamps.size();
  }

  /** Writes the list when it changed (temporary file, then an atomic rename). */
  public synchronized void save() {
    if (file == null || !dirty) {
      return;
    }
    List<String> lines = new ArrayList<>();
    lines.add(FORMAT);
    stamps.forEach((path, s) -> lines.add(s.size() + " " + s.mtime() + " " + encode(path.toString())));
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.write(tmp, lines, StandardCharsets.UTF_8);
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the watcher's state " + file, e);
    }
    dirty = false;
  }
}
