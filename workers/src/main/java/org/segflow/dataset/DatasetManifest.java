package org.segflow.dataset;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.segflow.contract.Sha256;
import org.segflow.storage.Json;

/**
 * raw/DatasetNNN_Name/manifest.json: what a dataset was made from and what it holds, each file with
 * its sha256 and size. Sorted, no timestamps: the same input gives byte-identical JSON, so it can
 * serve as the step cache key of ingest/convert. {@code notes} (present only when there are any) say
 * what conversion decided for the source layout, e.g. field-of-view masks computed from the images.
 */
@JsonPropertyOrder({"segflow_engine_version", "dataset", "source", "options", "notes", "source_files",
    "files"})
public record DatasetManifest(
    @JsonProperty("segflow_engine_version") String engineVersion,
    @JsonProperty("dataset") String dataset,
    @JsonProperty("source") Source source,
    @JsonProperty("options") Map<String, String> options,
    @JsonProperty("notes") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> notes,
    @JsonProperty("source_files") List<FileEntry> sourceFiles,
    @JsonProperty("files") List<FileEntry> files) {

  public static final String FILE_NAME = "manifest.json";
  /** The engine version recorded in manifests (matches {@code segflow --version}). */
  public static final String ENGINE_VERSION = org.segflow.SegflowVersion.VERSION;

  public DatasetManifest {
    notes = notes == null ? List.of() : List.copyOf(notes);
    sourceFiles = sorted(sourceFiles);
    files = sorted(files);
  }

  /** A manifest without notes (omitted from the JSON, so such manifests read as before). */
  public DatasetManifest(String engineVersion, String dataset, Source source,
      Map<String, String> options, List<FileEntry> sourceFiles, List<FileEntry> files) {
    this(engineVersion, dataset, source, options, List.of(), sourceFiles, files);
  }

  /** Where the dataset came from: the layout key and the source folder. */
  @JsonPropertyOrder({"layout", "path"})
  public record Source(@JsonProperty("layout") String layout, @JsonProperty("path") String path) {}

  /** A file by its path relative to its root ('/'-separated), sha256 (hex) and size in bytes. */
  @JsonPropertyOrder({"path", "sha256", "size"})
  public record FileEntry(@JsonProperty("path") String path, @JsonProperty("sha256") String sha256,
      @JsonProperty("size") long size) {

    public static FileEntry of(String path, byte[] bytes) {
      return new FileEntry(path, DatasetManifest.sha256(bytes), bytes.length);
    }
  }

  public static DatasetManifest read(Path file) {
    return Json.read(file, DatasetManifest.class);
  }

  /** The sha256 (hex) of a file's bytes. */
  public static String sha256(Path file) {
    return Sha256.of(file);
  }

  public static String sha256(byte[] bytes) {
    return Sha256.of(bytes);
  }

  /** {@code file} relative to {@code root}, '/'-separated. */
  static String relative(Path root, Path file) {
    return root.toAbsolutePath().normalize().relativize(file.toAbsolutePath().normalize())
        .toString().replace('\\', '/');
  }

  private static List<FileEntry> sorted(List<FileEntry> entries) {
    return entries == null ? List.of()
        : entries.stream().sorted(Comparator.comparing(FileEntry::path)).toList();
  }
}
