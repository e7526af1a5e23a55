package org.segflow.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.segflow.InvalidInputException;
import org.segflow.dataset.ConversionOptions;
import org.segflow.dataset.DatasetManifest;
import org.segflow.dataset.SourceLayout;

/**
 * The step cache of convert: the source files' sha256s as ingest recorded them, the options and the
 * engine version, compared with what raw/DatasetNNN_Name/manifest.json says the dataset was made
 * from. An nnU-Net raw source has no conversion options: its files are copied as they are.
 */
public final class ConvertStepCache {

  private ConvertStepCache() {}

  /** The key of converting the ingested source with {@code options}. */
  public static StepCacheKey ofIngested(DatasetManifest ingested, ConversionOptions options) {
    String layout = ingested.source().layout();
    Map<String, String> o = SourceLayout.NNUNET_RAW.key().equals(layout) ? Map.of() : options(options);
    return key(ingested.dataset(), layout, o, ingested.sourceFiles());
  }

  /** The key the existing conversion was made with, if its manifest is there and its files are whole. */
  public static Optional<StepCacheKey> ofExisting(Path datasetDir) {
    Path file = datasetDir.resolve(DatasetManifest.FILE_NAME);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    DatasetManifest m = DatasetManifest.read(file);
    for (DatasetManifest.FileEntry f : m.files()) {
      Path written = datasetDir.resolve(f.path());
      if (!sizeIs(written, f.size())) {
        return Optional.empty();
      }
    }
    if (!DatasetManifest.ENGINE_VERSION.equals(m.engineVersion()) || m.source() == null) {
      return Optional.empty();
    }
    return Optional.of(key(m.dataset(), m.source().layout(), new TreeMap<>(m.options()), m.sourceFiles()));
  }

  /**
   * Refuses a conversion that read other bytes than ingest hashed: the source changed between the
   * two steps. The first differing file is named.
   */
  public static void requireIngestedSources(DatasetManifest ingested, DatasetManifest converted, Path source) {
    List<DatasetManifest.FileEntry> want = ingested.sourceFiles();
    List<DatasetManifest.FileEntry> got = converted.sourceFiles();
    Map<String, String> had = new TreeMap<>();
    want.forEach(f -> had.put(f.path(), f.sha256()));
    for (DatasetManifest.FileEntry f : got) {
      String sha = had.remove(f.path());
      if (sha == null) {
        throw new InvalidInputException(source.resolve(f.path()), "appeared in the source after ingest;"
            + " run the pipeline again to ingest it");
      }
      if (!sha.equals(f.sha256())) {
        throw new InvalidInputException(source.resolve(f.path()), "changed since ingest: sha256 is " + f.sha256()
            + ", ingest recorded " + sha + "; run the pipeline again to ingest it");
      }
    }
    if (!had.isEmpty()) {
      throw new InvalidInputException(source.resolve(had.keySet().iterator().next()),
          "ingested, but gone from the source at conversion; run the pipeline again");
    }
  }

  private static StepCacheKey key(String dataset, String layout, Map<String, String> options,
      List<DatasetManifest.FileEntry> sources) {
    StepCacheKey k = new StepCacheKey("convert").add("dataset", dataset).add("layout", layout);
    options.forEach((o, v) -> k.add("option " + o, v));
    sources.forEach(f -> k.add("source " + f.path(), f.sha256()));
    return k;
  }

  /** The options as the converter records them in manifest.json. */
  private static Map<String, String> options(ConversionOptions o) {
    TreeMap<String, String> m = new TreeMap<>();
    m.put("channels", o.channels().key());
    if (o.channels() == ConversionOptions.Channels.GRAY) {
      m.put("channel_name", o.channelName());
    }
    m.put("label_name", o.labelName());
    return m;
  }

  private static boolean sizeIs(Path file, long size) {
    try {
      return Files.isRegularFile(file) && Files.size(file) == size;
    } catch (IOException e) {
      return false;
    }
  }
}
