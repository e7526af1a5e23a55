package org.segflow.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.segflow.InvalidInputException;
import org.segflow.dataset.DatasetConverter;
import org.segflow.dataset.DatasetManifest;
import org.segflow.dataset.DatasetName;
import org.segflow.dataset.RawDataset;
import org.segflow.dataset.SourceCase;
import org.segflow.dataset.SourceDataset;
import org.segflow.dataset.SourceLayout;
import org.segflow.dataset.SourceScanner;
import org.segflow.storage.SegflowPaths;

/**
 * The ingest step: the source's layout recognised and checked ({@link SourceScanner}: case
 * folders, lossless labels and masks, labels all-or-none) and every input file hashed into a
 * manifest (the {@link DatasetManifest} format, its {@code source_files} filled). The manifest is
 * sorted and timestamp-free, so the same source gives the same bytes: its sha256 identifies the
 * input of every later step. Hashing is the work of this step, so it always reads the files; an
 * unchanged manifest is not rewritten.
 */
public final class SourceIngest {

  public static final String FOLDER = "ingest";
  public static final String FILE_NAME = "source_manifest.json";

  private SourceIngest() {}

  /** What ingest found: the manifest to write and the case counts. */
  public record Ingested(DatasetManifest manifest, SourceLayout layout, int numTraining, int numTest) {}

  /** {@code SEGFLOW_HOME/ingest/DatasetNNN_Name/source_manifest.json}. */
  public static Path manifestFile(SegflowPaths paths, DatasetName name) {
    return paths.home().resolve(FOLDER).resolve(name.folderName()).resolve(FILE_NAME);
  }

  public static Ingested scan(Path source, DatasetName name) {
    SourceDataset src = SourceScanner.scan(source, name.name());
    List<DatasetManifest.FileEntry> files = new ArrayList<>();
    int numTraining;
    int numTest;
    if (src.layout() == SourceLayout.NNUNET_RAW) {
      // listed as convert copies it: every file but its manifest and hidden (temporary) entries
      for (Path f : DatasetConverter.datasetFiles(src.root())) {
        files.add(entry(src.root(), f));
      }
      RawDataset raw = RawDataset.open(src.root());
      numTraining = raw.trainingCases().size();
      numTest = raw.testCases().size();
    } else {
      for (List<SourceCase> cases : List.of(src.training(), src.test())) {
        for (SourceCase c : cases) {
          for (Path f : new Path[] {c.image(), c.label(), c.mask()}) {
            if (f != null) {
              files.add(entry(src.root(), f));
            }
          }
        }
      }
      numTraining = src.training().size();
      numTest = src.test().size();
    }
    DatasetManifest manifest = new DatasetManifest(DatasetManifest.ENGINE_VERSION, name.folderName(),
        new DatasetManifest.Source(src.layout().key(), src.root().toAbsolutePath().normalize().toString()),
        Map.of(), files, List.of());
    return new Ingested(manifest, src.layout(), numTraining, numTest);
  }

  private static DatasetManifest.FileEntry entry(Path root, Path file) {
    String rel = root.toAbsolutePath().normalize().relativize(file.toAbsolutePath().normalize())
        .toString().replace('\\', '/');
    try {
      return DatasetManifest.FileEntry.of(rel, Files.readAllBytes(file));
    } catch (IOException e) {
      throw new InvalidInputException(file, "unreadable input file: " + e.getMessage(), e);
    }
  }
}
