package org.segflow.dataset;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.segflow.InvalidInputException;
import org.segflow.storage.SegflowPaths;

/**
 * Finds datasets by reference, as nnU-Net's {@code -d}: an id ({@code 2} or {@code 002}), a full
 * folder name ({@code Dataset002_CHASEDB1}) or, in segflow, a bare name ({@code CHASEDB1}). Like
 * nnU-Net it looks in every root it is given (raw, preprocessed, results) and refuses two folder
 * names for one id.
 */
public final class DatasetLocator {

  private final List<Path> roots;

  public DatasetLocator(List<Path> roots) {
    this.roots = List.copyOf(roots);
  }

  /** Looks in raw/, preprocessed/ and results/, as nnU-Net does. */
  public static DatasetLocator of(SegflowPaths paths) {
    return new DatasetLocator(List.of(paths.raw(), paths.preprocessed(), paths.results()));
  }

  /** Resolves {@code ref} among the datasets under {@code rawRoot}. */
  public static DatasetName resolve(Path rawRoot, String ref) {
    return new DatasetLocator(List.of(rawRoot)).resolve(ref);
  }

  /** The dataset {@code ref} names; InvalidInputException if none, or on an id clash. */
  public DatasetName resolve(String ref) {
    String r = ref == null ? "" : ref.strip();
    if (r.isEmpty()) {
      throw new InvalidInputException("empty dataset reference; give an id (2), a folder name"
          + " (Dataset002_Name) or a name");
    }
    if (r.chars().allMatch(Character::isDigit)) {
      int id = r.length() > 3 ? -1 : Integer.parseInt(r);
      if (id < 1) {
        throw new InvalidInputException("dataset id " + r + " is out of range 1..999");
      }
      return findById(id).orElseThrow(() -> new InvalidInputException("no dataset with id " + id
          + " (Dataset" + String.format("%03d", id) + "_*) under " + rootsText()));
    }
    Optional<DatasetName> full = DatasetName.parseFolder(r);
    if (full.isPresent()) {
      Optional<DatasetName> found = findById(full.get().id());
      if (found.isEmpty() || !found.get().equals(full.get())) {
        throw new InvalidInputException("no dataset folder " + r + " under " + rootsText()
            + found.map(f -> "; id " + f.id() + " is " + f.folderName()).orElse(""));
      }
      return found.get();
    }
    TreeSet<DatasetName> named = new TreeSet<>();
    for (DatasetName d : all()) {
      if (d.name().equals(r)) {
        named.add(d);
      }
    }
    if (named.isEmpty()) {
      throw new InvalidInputException("no dataset named " + r + " under " + rootsText());
    }
    if (named.size() > 1) {
      throw new InvalidInputException("dataset name " + r + " is ambiguous: " + named
          + "; use the id or the full folder name");
    }
    return findById(named.first().id()).orElseThrow(); // also refuses an id clash
  }

  /** The dataset with this id, if any; an InvalidInputException if two folder names share it. */
  public Optional<DatasetName> findById(int id) {
    TreeSet<DatasetName> matches = new TreeSet<>();
    for (DatasetName d : all()) {
      if (d.id() == id) {
        matches.add(d);
      }
    }
    if (matches.size() > 1) {
      throw new InvalidInputException("dataset id clash: id " + id + " is used by " + matches
          + " under " + rootsText() + "; rename or remove all but one");
    }
    return matches.stream().findFirst();
  }

  /** Every dataset folder under the roots, sorted, each name once. */
  public List<DatasetName> all() {
    TreeSet<DatasetName> found = new TreeSet<>();
    for (Path root : roots) {
      found.addAll(folders(root).values());
    }
    return new ArrayList<>(found);
  }

  /**
   * Checks that {@code target} may be (re)written under {@code rawRoot}: no other name holds its
   * id, and no other id holds its name. The same dataset already present is fine.
   */
  public static void checkConvertTarget(Path rawRoot, DatasetName target) {
    for (DatasetName d : folders(rawRoot).values()) {
      if (d.id() == target.id() && !d.equals(target)) {
        throw new InvalidInputException(rawRoot.resolve(d.folderName()), "dataset id clash: id "
            + target.id() + " is already " + d.folderName() + ", so it cannot also be "
            + target.folderName() + ". Choose a free id, or the name " + d.name() + ".");
      }
      if (d.name().equals(target.name()) && d.id() != target.id()) {
        throw new InvalidInputException(rawRoot.resolve(d.folderName()), "dataset name "
            + target.name() + " is already used by " + d.folderName() + ", so it cannot also be "
            + target.folderName() + ". Choose another name, or the id " + d.id() + ".");
      }
    }
  }

  private static TreeMap<String, DatasetName> folders(Path root) {
    TreeMap<String, DatasetName> out = new TreeMap<>();
    if (!Files.isDirectory(root)) {
      return out;
    }
    try (Stream<Path> list = Files.list(root)) {
      list.filter(Files::isDirectory).forEach(p -> DatasetName.parseFolder(p.getFileName().toString())
          .ifPresent(d -> out.put(d.folderName(), d)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + root, e);
    }
    return out;
  }

  private String rootsText() {
    return roots.size() == 1 ? roots.get(0).toString() : roots.toString();
  }
}
