package org.segflow.dataset;

import org.segflow.io.FolderListing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;
import org.segflow.InvalidInputException;
import org.segflow.io.ImageFiles;
import org.segflow.io.ImageFormat;

/**
 * Recognises a source folder's layout and lists its cases (see {@link SourceLayout}). A folder
 * must look like exactly one layout (or be named one); guessing between two would convert the
 * wrong files without a word.
 *
 * <p>Case ids: in the crop layout by {@link CaseNaming} over crop_train and crop_test; in the
 * images/labels layout the file stem, or the {@link CaseNaming} id when every stem is a number; in
 * the public releases ({@link PublicLayouts}) the {@link CaseNaming} id of the case key in the file
 * name. Labels and masks must be lossless; test labels and masks are all-or-none per split, so
 * evaluation never silently skips cases.
 */
public final class SourceScanner {

  public static final String CROP_TRAIN = "crop_train";
  public static final String CROP_TEST = "crop_test";

  private SourceScanner() {}

  /** Scans {@code source}, detecting its layout; {@code datasetName} prefixes generated case ids. */
  public static SourceDataset scan(Path source, String datasetName) {
    return scan(source, datasetName, null);
  }

  /**
   * Scans {@code source} as {@code layout}, or, when it is null, as the one layout the folder looks
   * like; a folder that looks like none, or like several, is refused with the layouts accepted.
   */
  public static SourceDataset scan(Path source, String datasetName, SourceLayout layout) {
    if (!Files.isDirectory(source)) {
      throw new InvalidInputException(source, "source folder not found");
    }
    SourceLayout chosen = layout != null ? layout : detect(source);
    return switch (chosen) {
      case NNUNET_RAW -> {
        if (!Files.isRegularFile(source.resolve(RawDataset.DATASET_JSON))) {
          throw new InvalidInputException(source, "no dataset.json; an nnU-Net raw dataset has"
              + " dataset.json, imagesTr/ and labelsTr/");
        }
        yield new SourceDataset(source, SourceLayout.NNUNET_RAW, List.of(), List.of());
      }
      case CROP_FOLDERS -> scanCrop(source, datasetName);
      case IMAGE_LABEL_FOLDERS -> scanFolders(source, datasetName);
      default -> PublicLayouts.scan(chosen, source, datasetName);
    };
  }

  /** The one layout {@code source} looks like. */
  static SourceLayout detect(Path source) {
    List<SourceLayout> matches = new ArrayList<>();
    for (SourceLayout l : SourceLayout.values()) {
      if (looksLike(l, source)) {
        matches.add(l);
      }
    }
    if (matches.size() == 1) {
      return matches.get(0);
    }
    if (matches.isEmpty()) {
      throw new InvalidInputException(source, "not a recognised source layout; expected one of:"
          + ACCEPTED);
    }
    throw new InvalidInputException(source, "looks like several source layouts ("
        + matches.stream().map(SourceLayout::option).toList() + "); name one with --layout");
  }

  private static boolean looksLike(SourceLayout l, Path source) {
    return switch (l) {
      case NNUNET_RAW -> Files.isRegularFile(source.resolve(RawDataset.DATASET_JSON));
      case CROP_FOLDERS -> Files.isDirectory(source.resolve(CROP_TRAIN));
      // images/ alone still means this layout, so a missing labels/ gets its own message
      case IMAGE_LABEL_FOLDERS -> Files.isDirectory(source.resolve("images"))
          && (Files.isDirectory(source.resolve("labels"))
              || !Files.isDirectory(source.resolve("manual1")));
      default -> PublicLayouts.looksLike(l, source);
    };
  }

  /** The layouts and their file rules, for the error on an unrecognised folder. */
  static final String ACCEPTED = """

        crop:    crop_train/<n>/image.*, label.*, mask.* (and crop_test/<n>/...)
        folders: images/ + labels/ (+ masks/), paired by file stem
        raw:     an nnU-Net raw dataset: dataset.json, imagesTr/, labelsTr/
        drive:   training/images/NN_training.tif, training/1st_manual/NN_manual1.gif,
                 training/mask/NN_training_mask.gif; the same under test/ (NN_test.tif, NN_test_mask.gif)
        chase:   Image_NNL.jpg / Image_NNR.jpg with Image_NNL_1stHO.png in one folder
        stare:   imNNNN.ppm with labels-ah/imNNNN.ah.ppm (or both .ppm.gz)
        hrf:     images/NN_h.jpg (_g, _dr), manual1/NN_h.tif, mask/NN_h_mask.tif""";

  private static SourceDataset scanCrop(Path source, String datasetName) {
    Path trainDir = source.resolve(CROP_TRAIN);
    Path testDir = source.resolve(CROP_TEST);
    List<Path> train = FolderListing.folders(trainDir);
    List<Path> test = Files.isDirectory(testDir) ? FolderListing.folders(testDir) : List.of();
    if (train.isEmpty()) {
      throw new InvalidInputException(trainDir, "holds no case folders; expected crop_train/<n>/"
          + "image.*, label.*, mask.*");
    }
    List<String> names = new ArrayList<>();
    Stream.concat(train.stream(), test.stream()).forEach(p -> names.add(p.getFileName().toString()));
    Function<String, String> ids = caseIds(datasetName, names);
    List<SourceCase> trainCases = new ArrayList<>();
    for (Path dir : train) {
      trainCases.add(cropCase(dir, ids.apply(dir.getFileName().toString()), true));
    }
    List<SourceCase> testCases = new ArrayList<>();
    for (Path dir : test) {
      testCases.add(cropCase(dir, ids.apply(dir.getFileName().toString()), false));
    }
    return new SourceDataset(source, SourceLayout.CROP_FOLDERS,
        allOrNone(sortedUnique(trainCases, "crop_train"), trainDir),
        allOrNone(sortedUnique(testCases, "crop_test"), testDir));
  }

  private static SourceCase cropCase(Path dir, String id, boolean train) {
    List<Path> files = FolderListing.files(dir);
    if (files.isEmpty()) {
      throw new InvalidInputException(dir, "empty case folder; expected image.*, "
          + (train ? "label.*" : "optionally label.*") + " and mask.*");
    }
    Path image = null;
    Path label = null;
    Path mask = null;
    for (Path f : files) {
      String stem = ImageFiles.stem(f).toLowerCase(Locale.ROOT);
      switch (stem) {
        case "image" -> image = single(image, f, "image");
        case "label" -> label = single(label, f, "label");
        case "mask" -> mask = single(mask, f, "mask");
        default -> { } // notes, thumbnails and the like are not part of the case
      }
    }
    if (image == null) {
      throw new InvalidInputException(dir, "no image file (image.png, .tif, .bmp or .jpg)");
    }
    if (train && label == null) {
      throw new InvalidInputException(dir, "no label file (label.png) in a training case");
    }
    ImageFormat.requireSourceImage(image);
    if (label != null) {
      ImageFormat.requireLossless(label, "label");
    }
    if (mask != null) {
      ImageFormat.requireLossless(mask, "mask");
    }
    return new SourceCase(id, image, label, mask);
  }

  private static Path single(Path already, Path f, String role) {
    if (already != null) {
      throw new InvalidInputException(f.getParent(), "two " + role + " files: "
          + already.getFileName() + " and " + f.getFileName() + "; keep one");
    }
    return f;
  }

  private static SourceDataset scanFolders(Path source, String datasetName) {
    Path imagesDir = source.resolve("images");
    Path labelsDir = source.resolve("labels");
    Path masksDir = source.resolve("masks");
    if (!Files.isDirectory(labelsDir)) {
      throw new InvalidInputException(labelsDir, "folder not found; an images/ folder needs a"
          + " labels/ folder with one label per image (same file name stem)");
    }
    Map<String, Path> images = byStem(imagesDir);
    Map<String, Path> labels = byStem(labelsDir);
    Map<String, Path> masks = Files.isDirectory(masksDir) ? byStem(masksDir) : Map.of();
    if (images.isEmpty()) {
      throw new InvalidInputException(imagesDir, "empty folder; expected images to convert");
    }
    for (Map.Entry<String, Path> e : images.entrySet()) {
      if (!labels.containsKey(e.getKey())) {
        throw new InvalidInputException(e.getValue(), "no label for this image: expected "
            + labelsDir.resolve(e.getKey() + ".png"));
      }
      if (!masks.isEmpty() && !masks.containsKey(e.getKey())) {
        throw new InvalidInputException(e.getValue(), "no mask for this image: expected "
            + masksDir.resolve(e.getKey() + ".png") + " (masks/ must hold one mask per image, or none)");
      }
    }
    for (Map<String, Path> other : List.of(labels, masks)) {
      for (Map.Entry<String, Path> e : other.entrySet()) {
        if (!images.containsKey(e.getKey())) {
          throw new InvalidInputException(e.getValue(), "no image with the stem '" + e.getKey()
              + "' in " + imagesDir);
        }
      }
    }
    boolean numeric = images.keySet().stream().allMatch(SourceScanner::isNumber);
    Function<String, String> ids = numeric ? caseIds(datasetName, List.copyOf(images.keySet()))
        : Function.identity();
    List<SourceCase> cases = new ArrayList<>();
    for (Map.Entry<String, Path> e : images.entrySet()) {
      ImageFormat.requireSourceImage(e.getValue());
      Path label = lossless(labels.get(e.getKey()), "label");
      Path mask = lossless(masks.get(e.getKey()), "mask");
      cases.add(new SourceCase(ids.apply(e.getKey()), e.getValue(), label, mask));
    }
    return new SourceDataset(source, SourceLayout.IMAGE_LABEL_FOLDERS,
        sortedUnique(cases, imagesDir.toString()), List.of());
  }

  /** stem -> file; two files with one stem (a.png and a.tif) are a duplicate case id. */
  private static Map<String, Path> byStem(Path dir) {
    TreeMap<String, Path> out = new TreeMap<>();
    for (Path f : FolderListing.files(dir)) {
      Path before = out.put(ImageFiles.stem(f), f);
      if (before != null) {
        throw new InvalidInputException(dir, "duplicate case id '" + ImageFiles.stem(f) + "': "
            + before.getFileName() + " and " + f.getFileName() + "; keep one");
      }
    }
    return out;
  }

  /** Maps folder names or stems to case ids by the dataset's {@link CaseNaming} over all of them. */
  private static Function<String, String> caseIds(String datasetName, List<String> names) {
    return CaseNaming.over(datasetName, names)::id;
  }

  private static boolean isNumber(String s) {
    return CaseNaming.isNumber(s);
  }

  private static List<SourceCase> sortedUnique(List<SourceCase> cases, String where) {
    TreeMap<String, SourceCase> byId = new TreeMap<>();
    for (SourceCase c : cases) {
      SourceCase before = byId.put(c.id(), c);
      if (before != null) {
        throw new InvalidInputException(c.image(), "duplicate case id " + c.id() + " in " + where
            + ": also given by " + before.image() + " (folder names 1 and 01 name the same case)");
      }
    }
    return new ArrayList<>(byId.values());
  }

  /** Labels and masks are all-or-none per split; the first case missing one is named. */
  private static List<SourceCase> allOrNone(List<SourceCase> cases, Path dir) {
    long labelled = cases.stream().filter(c -> c.label() != null).count();
    long masked = cases.stream().filter(c -> c.mask() != null).count();
    for (SourceCase c : cases) {
      if (labelled > 0 && c.label() == null) {
        throw new InvalidInputException(c.image().getParent(), "no label file, but " + labelled
            + " other case(s) in " + dir.getFileName() + " have one; give every test case a label,"
            + " or none");
      }
      if (masked > 0 && c.mask() == null) {
        throw new InvalidInputException(c.image().getParent(), "no mask file, but " + masked
            + " other case(s) in " + dir.getFileName() + " have one; give every case a mask, or none");
      }
    }
    return cases;
  }

  private static Path lossless(Path file, String role) {
    if (file != null) {
      ImageFormat.requireLossless(file, role);
    }
    return file;
  }
}
