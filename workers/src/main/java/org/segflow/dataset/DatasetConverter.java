package org.segflow.dataset;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.segflow.InvalidInputException;
import org.segflow.StepProgress;
import org.segflow.io.NaturalImage2DIO;
import org.segflow.storage.AtomicFiles;
import org.segflow.storage.StaleTemps;
import org.segflow.storage.Json;

/**
 * Turns a source folder into an nnU-Net raw dataset {@code raw/DatasetNNN_Name/}: imagesTr/,
 * labelsTr/ (0/1), imagesTs/, labelsTs/ (when test labels exist), masksTr/ and masksTs/ (FOV masks,
 * 0/1), dataset.json and manifest.json. An nnU-Net raw source is verified and copied as is (or, if
 * it already is the target, only gains its manifest).
 *
 * <p>The folder is built under a temporary name and swapped in when complete, so a failed
 * conversion leaves nothing behind and an existing dataset stays intact. Cases convert in a bounded
 * pool; every failing case is reported together.
 */
public final class DatasetConverter {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DatasetConverter.class);

  public static final int DEFAULT_THREADS = 2;
  private static final int MAX_LISTED = 40;

  private final int threads;
  private final Consumer<String> log;

  public DatasetConverter() {
    this(DEFAULT_THREADS);
  }

  public DatasetConverter(int threads) {
    this(threads, line -> { });
  }

  /** {@code log} gets progress lines while the cases convert. */
  public DatasetConverter(int threads, Consumer<String> log) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1");
    }
    this.threads = threads;
    this.log = log;
  }

  public ConversionResult convert(Path source, Path rawRoot, DatasetName name,
      ConversionOptions options) {
    return convert(source, null, rawRoot, name, options);
  }

  /** As above, reading {@code source} as {@code layout} (null: detected). */
  public ConversionResult convert(Path source, SourceLayout layout, Path rawRoot, DatasetName name,
      ConversionOptions options) {
    DatasetLocator.checkConvertTarget(rawRoot, name);
    StaleTemps.sweep(rawRoot); // what a killed convert left next to the datasets
    SourceDataset src = SourceScanner.scan(source, name.name(), layout);
    Path target = rawRoot.resolve(name.folderName());
    if (src.layout() == SourceLayout.NNUNET_RAW) {
      return adoptRaw(src, target, name);
    }
    DatasetManifest[] manifest = new DatasetManifest[1];
    List<String> warnings = new ArrayList<>();
    AtomicFiles.publishDirectory(target, tmp -> manifest[0] = build(src, tmp, name, options, warnings));
    return new ConversionResult(name, target, src.layout(), src.training().size(),
        src.test().size(), src.testLabels(), manifest[0], warnings);
  }

  private DatasetManifest build(SourceDataset src, Path out, DatasetName name,
      ConversionOptions options, List<String> warnings) throws IOException {
    for (String dir : folders(src)) {
      Files.createDirectories(out.resolve(dir));
    }
    CaseConverter converter = new CaseConverter(src.root(), out, options);
    List<Callable<CaseConverter.Output>> tasks = new ArrayList<>();
    StepProgress progress = new StepProgress("convert", src.training().size() + src.test().size(), log);
    src.training().forEach(c -> tasks.add(counted(() -> converter.convert(c, true), progress)));
    src.test().forEach(c -> tasks.add(counted(() -> converter.convert(c, false), progress)));
    List<DatasetManifest.FileEntry> sources = new ArrayList<>();
    List<DatasetManifest.FileEntry> written = new ArrayList<>();
    Map<Integer, List<Path>> imagesByBits = new java.util.TreeMap<>();
    for (CaseConverter.Output o : runAll(tasks, src.root())) {
      sources.addAll(o.sources());
      written.addAll(o.written());
      imagesByBits.computeIfAbsent(o.imageBits(), b -> new ArrayList<>()).add(o.image());
    }
    mixedBitDepths(src.root(), imagesByBits).ifPresent(w -> {
      LOG.warn("{}", w);
      warnings.add(w);
    });
    Map<String, Object> labels = new LinkedHashMap<>();
    labels.put("background", 0);
    labels.put(options.labelName(), 1);
    DatasetJson json = new DatasetJson(options.channelNames(), null, labels, src.training().size(),
        ".png", name.folderName(), null, NaturalImage2DIO.NAME, null, null);
    byte[] jsonBytes = Json.write(json).getBytes(StandardCharsets.UTF_8);
    Files.write(out.resolve(RawDataset.DATASET_JSON), jsonBytes);
    written.add(DatasetManifest.FileEntry.of(RawDataset.DATASET_JSON, jsonBytes));
    DatasetManifest manifest = new DatasetManifest(DatasetManifest.ENGINE_VERSION, name.folderName(),
        source(src), options.manifestEntries(), src.notes(), sources, written);
    Files.write(out.resolve(DatasetManifest.FILE_NAME),
        Json.write(manifest).getBytes(StandardCharsets.UTF_8));
    return manifest;
  }

  /**
   * Images of different bit depths (8- and 16-bit PNGs) in one dataset: legal, as nnU-Net normalizes each image
   * on its own, but suspicious (an export that changed halfway, labels scaled differently); named per depth, at
   * most {@value #NAMED_PER_DEPTH} files each.
   */
  static java.util.Optional<String> mixedBitDepths(Path root, Map<Integer, List<Path>> imagesByBits) {
    if (imagesByBits.size() < 2) {
      return java.util.Optional.empty();
    }
    StringBuilder sb = new StringBuilder("images of different bit depths in " + root + " (converted as they are; "
        + "each image is normalized on its own, but check the export):");
    imagesByBits.forEach((bits, files) -> {
      List<String> names = files.stream().map(f -> DatasetManifest.relative(root, f)).sorted().toList();
      sb.append(' ').append(bits).append("-bit: ").append(names.size())
          .append(names.size() == 1 ? " image (" : " images (")
          .append(String.join(", ", names.subList(0, Math.min(NAMED_PER_DEPTH, names.size()))))
          .append(names.size() > NAMED_PER_DEPTH ? ", ..." : "").append(");");
    });
    sb.setLength(sb.length() - 1);
    return java.util.Optional.of(sb.toString());
  }

  private static final int NAMED_PER_DEPTH = 5;

  private static List<String> folders(SourceDataset src) {
    List<String> dirs = new ArrayList<>(List.of(RawDataset.IMAGES_TR, RawDataset.LABELS_TR));
    if (src.training().stream().anyMatch(SourceCase::hasMask)) {
      dirs.add(RawDataset.MASKS_TR);
    }
    if (!src.test().isEmpty()) {
      dirs.add(RawDataset.IMAGES_TS);
    }
    if (src.testLabels()) {
      dirs.add(RawDataset.LABELS_TS);
    }
    if (src.test().stream().anyMatch(SourceCase::hasMask)) {
      dirs.add(RawDataset.MASKS_TS);
    }
    return dirs;
  }

  private static <T> Callable<T> counted(Callable<T> task, StepProgress progress) {
    return () -> {
      try {
        return task.call();
      } finally {
        progress.caseDone();
      }
    };
  }

  /** Runs every case; input errors of all cases are reported together. */
  private List<CaseConverter.Output> runAll(List<Callable<CaseConverter.Output>> tasks, Path source) {
    ExecutorService pool = BoundedPool.create(threads, "segflow-convert");
    try {
      List<CaseConverter.Output> out = new ArrayList<>();
      List<InvalidInputException> failures = new ArrayList<>();
      for (Future<CaseConverter.Output> f : pool.invokeAll(tasks)) {
        try {
          out.add(f.get());
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof InvalidInputException bad)) {
            throw BoundedPool.unwrap(e);
          }
          failures.add(bad);
        }
      }
      if (failures.size() == 1) {
        throw failures.get(0);
      }
      if (!failures.isEmpty()) {
        StringBuilder sb = new StringBuilder(failures.size() + " cases could not be converted:");
        failures.stream().limit(MAX_LISTED).forEach(e -> sb.append("\n  - ").append(e.getMessage()));
        if (failures.size() > MAX_LISTED) {
          sb.append("\n  ... and ").append(failures.size() - MAX_LISTED).append(" more");
        }
        throw new InvalidInputException(source, sb.toString());
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("conversion interrupted", e);
    } finally {
      pool.shutdownNow();
    }
  }

  /** An nnU-Net raw source: verified, then copied byte for byte (or left in place) with a manifest. */
  private ConversionResult adoptRaw(SourceDataset src, Path target, DatasetName name) {
    RawDataset raw = new IntegrityVerifier(threads).verify(src.root());
    boolean inPlace = Files.isDirectory(target) && sameFile(src.root(), target);
    DatasetManifest manifest;
    if (inPlace) {
      List<DatasetManifest.FileEntry> entries = new ArrayList<>();
      for (Path f : datasetFiles(src.root())) {
        entries.add(DatasetManifest.FileEntry.of(DatasetManifest.relative(src.root(), f), readAll(f)));
      }
      manifest = new DatasetManifest(DatasetManifest.ENGINE_VERSION, name.folderName(), source(src),
          Map.of(), entries, entries);
      Json.write(target.resolve(DatasetManifest.FILE_NAME), manifest);
    } else {
      DatasetManifest[] holder = new DatasetManifest[1];
      AtomicFiles.publishDirectory(target, tmp -> {
        List<DatasetManifest.FileEntry> entries = new ArrayList<>();
        for (Path f : datasetFiles(src.root())) {
          String rel = DatasetManifest.relative(src.root(), f);
          byte[] bytes = readAll(f);
          Path dest = tmp.resolve(rel);
          Files.createDirectories(dest.getParent());
          Files.write(dest, bytes);
          entries.add(DatasetManifest.FileEntry.of(rel, bytes));
        }
        holder[0] = new DatasetManifest(DatasetManifest.ENGINE_VERSION, name.folderName(),
            source(src), Map.of(), entries, entries);
        Files.write(tmp.resolve(DatasetManifest.FILE_NAME),
            Json.write(holder[0]).getBytes(StandardCharsets.UTF_8));
      });
      manifest = holder[0];
    }
    boolean testLabels = !raw.testCases().isEmpty()
        && raw.testCases().stream().allMatch(c -> c.label() != null);
    return new ConversionResult(name, target, SourceLayout.NNUNET_RAW, raw.trainingCases().size(),
        raw.testCases().size(), testLabels, manifest, List.of());
  }

  /** Every file of a raw dataset folder but its manifest and hidden (temporary) entries, sorted. */
  public static List<Path> datasetFiles(Path root) {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile)
          .filter(p -> {
            for (Path part : root.relativize(p)) {
              if (part.toString().startsWith(".")) {
                return false;
              }
            }
            return !root.relativize(p).toString().equals(DatasetManifest.FILE_NAME);
          })
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + root, e);
    }
  }

  private static byte[] readAll(Path f) {
    try {
      return Files.readAllBytes(f);
    } catch (IOException e) {
      throw new InvalidInputException(f, "unreadable file: " + e.getMessage(), e);
    }
  }

  private static boolean sameFile(Path a, Path b) {
    try {
      return Files.isSameFile(a, b);
    } catch (IOException e) {
      return false;
    }
  }

  private static DatasetManifest.Source source(SourceDataset src) {
    return new DatasetManifest.Source(src.layout().key(),
        src.root().toAbsolutePath().normalize().toString());
  }
}
