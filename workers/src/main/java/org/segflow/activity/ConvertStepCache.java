package org.segflow.activity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.segflow.dataset.ConversionOptions;
import org.segflow.dataset.DatasetManifest;
import org.segflow.dataset.DatasetName;
import org.segflow.dataset.SourceCase;
import org.segflow.dataset.SourceDataset;
import org.segflow.dataset.SourceLayout;
import org.segflow.dataset.SourceScanner;

/**
 * The step cache of convert: the source files' sha256s, the options and the engine version, compared
 * with what raw/DatasetNNN_Name/manifest.json says the dataset was made from. An nnU-Net raw source
 * is always verified again (its manifest lists the dataset, not a conversion).
 */
public final class ConvertStepCache {

  private ConvertStepCache() {}

  /** The key of converting {@code source} now, or empty for an nnU-Net raw source. */
  public static Optional<StepCacheKey> ofSource(Path source, DatasetName name, ConversionOptions options) {
    SourceDataset src = SourceScanner.scan(source, name.name());
    if (src.layout() == SourceLayout.NNUNET_RAW) {
      return Optional.empty();
    }
    List<DatasetManifest.FileEntry> files = new ArrayList<>();
    for (List<SourceCase> cases : List.of(src.training(), src.test())) {
      for (SourceCase c : cases) {
        for (Path f : new Path[] {c.image(), c.label(), c.mask()}) {
          if (f != null) {
            files.add(entry(src.root(), f));
          }
        }
      }
    }
    return Optional.of(key(name.folderName(), src.layout().key(), options(options),
        new DatasetManifest(DatasetManifest.ENGINE_VERSION, name.folderName(), null, Map.of(), files,
            List.of()).sourceFiles()));
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

  private static DatasetManifest.FileEntry entry(Path root, Path file) {
    String rel = root.toAbsolutePath().normalize().relativize(file.toAbsolutePath().normalize())
        .toString().replace('\\', '/');
    try {
      return DatasetManifest.FileEntry.of(rel, Files.readAllBytes(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static boolean sizeIs(Path file, long size) {
    try {
      return Files.isRegularFile(file) && Files.size(file) == size;
    } catch (IOException e) {
      return false;
    }
  }
}
