package org.segflow.dataset;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.segflow.InvalidInputException;
import org.segflow.io.ImageArray;
import org.segflow.io.NaturalImage2DIO;
import org.segflow.io.ReaderWriterRegistry;

/**
 * nnU-Net's {@code --verify_dataset_integrity}: every check in nnU-Net's order, but all
 * problems are collected and reported together, each naming its case and file. A check that makes
 * the later ones meaningless (no dataset.json, missing keys, no readable reader) stops there.
 * Per-case reads run on a small bounded pool.
 */
public final class IntegrityVerifier {

  public static final int DEFAULT_THREADS = 2;
  /** Lines listed in the exception message before "... and N more". */
  public static final int MAX_LISTED = 40;

  private final int threads;

  public IntegrityVerifier() {
    this(DEFAULT_THREADS);
  }

  public IntegrityVerifier(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1");
    }
    this.threads = threads;
  }

  /**
   * Verifies {@code dir} and returns it opened; throws one InvalidInputException listing every
   * problem (capped at {@link #MAX_LISTED} lines) if any check fails.
   */
  public RawDataset verify(Path dir) {
    List<IntegrityProblem> problems = check(dir);
    if (!problems.isEmpty()) {
      throw new InvalidInputException(dir, IntegrityProblem.summarize(problems, MAX_LISTED));
    }
    return RawDataset.open(dir);
  }

  /** All problems found, in check order (then case order); empty when the dataset is fine. */
  public List<IntegrityProblem> check(Path dir) {
    List<IntegrityProblem> problems = new ArrayList<>();
    Path jsonFile = dir.resolve(RawDataset.DATASET_JSON);
    // 1. dataset.json, imagesTr, labelsTr
    DatasetJson json = null;
    boolean explicitCases = false;
    if (!Files.isRegularFile(jsonFile)) {
      problems.add(new IntegrityProblem(1, null, jsonFile, rel(dir, jsonFile) + " not found"));
    } else {
      try {
        json = RawDataset.readJson(jsonFile);
        explicitCases = RawDataset.datasetNode(jsonFile) != null;
      } catch (InvalidInputException e) {
        problems.add(new IntegrityProblem(1, null, jsonFile, e.getMessage()));
      }
    }
    if (!explicitCases) {
      for (String folder : List.of(RawDataset.IMAGES_TR, RawDataset.LABELS_TR)) {
        if (!Files.isDirectory(dir.resolve(folder))) {
          problems.add(new IntegrityProblem(1, null, dir.resolve(folder), folder + "/ not found"));
        }
      }
    }
    if (!problems.isEmpty()) {
      return problems;
    }
    // 2. required keys
    for (String key : RawDataset.missingKeys(json)) {
      problems.add(new IntegrityProblem(2, null, jsonFile,
          "dataset.json is missing the required key '" + key + "'"));
    }
    if (!problems.isEmpty()) {
      return problems;
    }
    RawDataset dataset;
    try {
      dataset = RawDataset.open(dir);
    } catch (InvalidInputException e) {
      problems.add(new IntegrityProblem(2, null, jsonFile, e.getMessage()));
      return problems;
    }
    String ending = dataset.fileEnding();
    List<RawCase> cases = dataset.trainingCases();
    // 3. numTraining; cases whose files are not named CASE_XXXX + ending
    if (cases.size() != json.numTraining()) {
      problems.add(new IntegrityProblem(3, null, jsonFile, "numTraining is " + json.numTraining()
          + " in dataset.json but " + cases.size() + " training cases were found"
          + (explicitCases ? " under \"dataset\"" : " in imagesTr/")));
    }
    for (RawCase c : cases) {
      if (c.images().isEmpty()) {
        List<String> sources = explicitCases ? List.of() : filesGivingId(dir, c.id(), ending);
        problems.add(new IntegrityProblem(3, c.id(), dir.resolve(RawDataset.IMAGES_TR),
            (sources.isEmpty() ? "" : String.join(", ", sources) + " gives case id '" + c.id()
                + "' but ") + "no image file is named " + c.id() + "_XXXX" + ending
                + " (image files must be named CASE_XXXX" + ending + ", XXXX = 4-digit channel"
                + " index, e.g. " + c.id() + "_0000" + ending + ")"));
      }
    }
    // 4. every case has its label (and, with "dataset", its images)
    for (RawCase c : cases) {
      if (!Files.isRegularFile(c.label())) {
        problems.add(new IntegrityProblem(4, c.id(), c.label(),
            "label file " + rel(dir, c.label()) + " not found"));
      }
      if (explicitCases) {
        for (Path image : c.images()) {
          if (!Files.isRegularFile(image)) {
            problems.add(new IntegrityProblem(4, c.id(), image,
                "image file " + rel(dir, image) + " not found"));
          }
        }
      }
    }
    // 5. label manager
    List<String> labelProblems = new ArrayList<>();
    DatasetLabels labels = DatasetLabels.parse(json.labels(), json.regionsClassOrder(), labelProblems);
    for (String p : labelProblems) {
      problems.add(new IntegrityProblem(5, null, jsonFile, "dataset.json labels: " + p));
    }
    // 6. reader detection on the first image of the first case
    RawCase first = cases.stream()
        .filter(c -> !c.images().isEmpty() && c.images().stream().allMatch(Files::isRegularFile))
        .findFirst().orElse(null);
    if (first == null) {
      problems.add(new IntegrityProblem(6, null, dir.resolve(RawDataset.IMAGES_TR),
          "no training images" + " ending in " + ending + " found, so no reader can be chosen"));
      return problems;
    }
    try {
      ReaderWriterRegistry.select(ending, json.overwriteImageReaderWriter(), first.images().get(0));
    } catch (InvalidInputException e) {
      problems.add(new IntegrityProblem(6, first.id(), first.images().get(0), e.getMessage()));
      return problems;
    }
    // 7, 8 (and segflow's 9) per case
    List<Integer> expected = labels.expectedValues();
    int channels = json.channels().size();
    List<CaseFindings> findings = perCase(cases.stream()
        .filter(c -> !c.images().isEmpty() && Files.isRegularFile(c.label())
            && c.images().stream().allMatch(Files::isRegularFile))
        .map(c -> (Callable<CaseFindings>) () -> checkCase(dir, c, expected, channels))
        .toList());
    findings.forEach(f -> problems.addAll(f.labelValues));
    findings.forEach(f -> problems.addAll(f.caseChecks));
    findings.forEach(f -> problems.addAll(f.masks));
    return problems;
  }

  private static final class CaseFindings {
    final List<IntegrityProblem> labelValues = new ArrayList<>();
    final List<IntegrityProblem> caseChecks = new ArrayList<>();
    final List<IntegrityProblem> masks = new ArrayList<>();
  }

  private static CaseFindings checkCase(Path dir, RawCase c, List<Integer> expected, int channels) {
    CaseFindings f = new CaseFindings();
    String labelName = rel(dir, c.label());
    ImageArray seg = null;
    try {
      seg = NaturalImage2DIO.readSeg(c.label());
    } catch (InvalidInputException e) {
      f.labelValues.add(new IntegrityProblem(7, c.id(), c.label(), e.getMessage()));
    }
    ImageArray image = null;
    try {
      image = NaturalImage2DIO.readImages(c.images());
    } catch (InvalidInputException e) {
      f.caseChecks.add(new IntegrityProblem(8, c.id(), e.file(), e.getMessage()));
    }
    if (seg != null) {
      PixelValues found = PixelValues.of(seg);
      if (!found.subsetOf(expected)) {
        f.labelValues.add(new IntegrityProblem(7, c.id(), c.label(), "Unexpected labels found in file "
            + labelName + ". Expected: " + expected + ". Found: " + found));
      }
    }
    // 8. NaN, shape, spacing, channel count
    if (image != null && PixelValues.hasNaN(image)) {
      f.caseChecks.add(new IntegrityProblem(8, c.id(), c.images().get(0),
          "NaN values in image " + names(dir, c.images())));
    }
    if (seg != null && PixelValues.hasNaN(seg)) {
      f.caseChecks.add(new IntegrityProblem(8, c.id(), c.label(), "NaN values in label " + labelName));
    }
    if (seg != null && seg.channels() != 1) {
      f.caseChecks.add(new IntegrityProblem(8, c.id(), c.label(), "label " + labelName + " has "
          + seg.channels() + " channels; a label map must be a single gray channel"));
    }
    if (image != null && seg != null && !image.sameGeometry(seg)) {
      f.caseChecks.add(new IntegrityProblem(8, c.id(), c.label(), "shape mismatch: image "
          + names(dir, c.images()) + " is " + NaturalImage2DIO.size(image) + " but label "
          + labelName + " is " + NaturalImage2DIO.size(seg)));
    }
    // The spacing check (image vs label allclose) holds by construction: NaturalImage2DIO gives
    // every file the spacing (999, 1, 1).
    if (image != null && image.channels() != channels) {
      f.caseChecks.add(new IntegrityProblem(8, c.id(), c.images().get(0), "image "
          + names(dir, c.images()) + " has " + image.channels() + " channel(s) but dataset.json"
          + " channel_names declares " + channels + " (an RGB file counts as 3)"));
    }
    // 9. segflow: the FOV mask matches the image and is 0/1
    if (c.fovMask() != null) {
      String maskName = rel(dir, c.fovMask());
      try {
        ImageArray mask = NaturalImage2DIO.readSeg(c.fovMask());
        PixelValues values = PixelValues.of(mask);
        if (mask.channels() != 1 || !values.subsetOf(List.of(0, 1))) {
          f.masks.add(new IntegrityProblem(9, c.id(), c.fovMask(), "FOV mask " + maskName
              + " must be one channel of 0/1, found " + mask.channels() + " channel(s) with values "
              + values));
        }
        if (image != null && !image.sameGeometry(mask)) {
          f.masks.add(new IntegrityProblem(9, c.id(), c.fovMask(), "shape mismatch: image "
              + names(dir, c.images()) + " is " + NaturalImage2DIO.size(image) + " but FOV mask "
              + maskName + " is " + NaturalImage2DIO.size(mask)));
        }
      } catch (InvalidInputException e) {
        f.masks.add(new IntegrityProblem(9, c.id(), c.fovMask(), e.getMessage()));
      }
    }
    return f;
  }

  private <T> List<T> perCase(List<Callable<T>> tasks) {
    ExecutorService pool = BoundedPool.create(threads, "segflow-verify");
    try {
      List<T> out = new ArrayList<>(tasks.size());
      for (Future<T> f : pool.invokeAll(tasks)) {
        out.add(f.get());
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("integrity check interrupted", e);
    } catch (ExecutionException e) {
      throw BoundedPool.unwrap(e);
    } finally {
      pool.shutdownNow();
    }
  }

  /** imagesTr files whose name, cut as nnU-Net cuts it, gives {@code id}. */
  private static List<String> filesGivingId(Path dir, String id, String ending) {
    Path images = dir.resolve(RawDataset.IMAGES_TR);
    try (java.util.stream.Stream<Path> list = Files.list(images)) {
      return list.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(ending)
              && n.substring(0, Math.max(0, n.length() - ending.length() - 5)).equals(id))
          .sorted().map(n -> RawDataset.IMAGES_TR + "/" + n).toList();
    } catch (java.io.IOException e) {
      return List.of();
    }
  }

  private static String names(Path dir, List<Path> files) {
    return files.size() == 1 ? rel(dir, files.get(0))
        : files.stream().map(p -> rel(dir, p)).toList().toString();
  }

  static String rel(Path dir, Path file) {
    Path d = dir.toAbsolutePath().normalize();
    Path f = file.toAbsolutePath().normalize();
    return f.startsWith(d) ? d.relativize(f).toString().replace('\\', '/') : f.toString();
  }
}
