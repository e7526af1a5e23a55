package org.segflow.dataset;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.segflow.InvalidInputException;
import org.segflow.io.FolderListing;
import org.segflow.io.ImageFiles;
import org.segflow.io.ImageFormat;

/**
 * The public releases of the retinal-vessel datasets, read as their authors distribute them. Each
 * split is an image folder whose file stems name the cases, plus label and mask folders whose stems
 * follow from the case's key (files are matched by stem, so any readable ending will do). Files
 * that fit no rule (second observers, readmes) are not part of the dataset.
 */
final class PublicLayouts {

  static final String NO_SPLIT = "no official train/test split: all cases are training cases";

  /**
   * One split of a release.
   *
   * @param imageStem  matches the image stems; group 1 is the case key
   * @param labelStem  the label's stem for a key ({@code %s}); null: the split has no labels
   * @param maskStem   the mask's stem for a key; null: masks are computed ({@link FovMask})
   * @param needLabels every image must have a label (else labels are all-or-none)
   */
  private record Split(String imageDir, Pattern imageStem, String labelDir, String labelStem,
      String maskDir, String maskStem, boolean needLabels) {}

  private PublicLayouts() {}

  /** Whether {@code source} looks like {@code layout}'s release (for detection). */
  static boolean looksLike(SourceLayout layout, Path source) {
    return switch (layout) {
      case DRIVE -> Files.isDirectory(source.resolve("training/images"))
          || Files.isDirectory(source.resolve("test/images"));
      case CHASE_DB1 -> anyStem(source, Pattern.compile("Image_\\d+[LR]"));
      case STARE -> Files.isDirectory(source.resolve("labels-ah"));
      case HRF -> Files.isDirectory(source.resolve("images"))
          && Files.isDirectory(source.resolve("manual1"));
      default -> false;
    };
  }

  static SourceDataset scan(SourceLayout layout, Path source, String datasetName) {
    return switch (layout) {
      case DRIVE -> {
        Split train = new Split("training/images", Pattern.compile("(\\d+)_training"),
            "training/1st_manual", "%s_manual1", "training/mask", "%s_training_mask", true);
        Split test = new Split("test/images", Pattern.compile("(\\d+)_test"),
            "test/1st_manual", "%s_manual1", "test/mask", "%s_test_mask", false);
        if (!Files.isDirectory(source.resolve(train.imageDir()))) {
          throw new InvalidInputException(source.resolve(train.imageDir()), "folder not found; the"
              + " DRIVE release has training/images/NN_training.tif (and test/images/NN_test.tif)");
        }
        boolean hasTest = Files.isDirectory(source.resolve(test.imageDir()));
        yield build(source, layout, datasetName, train, hasTest ? test : null, List.of());
      }
      case CHASE_DB1 -> build(source, layout, datasetName, new Split("",
          Pattern.compile("Image_(\\d+[LR])"), "", "Image_%s_1stHO", null, null, true), null,
          List.of(FovMask.DESCRIPTION, NO_SPLIT, "labels: first observer (_1stHO); _2ndHO ignored"));
      case STARE -> build(source, layout, datasetName, new Split("", Pattern.compile("im(\\d+)"),
          "labels-ah", "im%s.ah", null, null, true), null,
          List.of(FovMask.DESCRIPTION, NO_SPLIT, "labels: Hoover (labels-ah/); labels-vk/ ignored"));
      case HRF -> build(source, layout, datasetName, new Split("images",
          Pattern.compile("(\\d+_(?:h|g|dr))"), "manual1", "%s", "mask", "%s_mask", true), null,
          List.of(NO_SPLIT));
      default -> throw new IllegalArgumentException(layout + " is not a public release layout");
    };
  }

  private static SourceDataset build(Path source, SourceLayout layout, String datasetName,
      Split train, Split test, List<String> notes) {
    Map<String, Path> trainImages = images(source, train);
    Map<String, Path> testImages = test == null ? Map.of() : images(source, test);
    List<String> keys = new ArrayList<>(trainImages.keySet());
    keys.addAll(testImages.keySet());
    CaseNaming naming = CaseNaming.over(datasetName, keys);
    List<SourceCase> training = cases(source, layout, train, trainImages, naming);
    List<SourceCase> testCases = test == null ? List.of()
        : cases(source, layout, test, testImages, naming);
    return new SourceDataset(source, layout, training, testCases, notes);
  }

  /** Case key -> image file, for the image files of a split. */
  private static Map<String, Path> images(Path source, Split split) {
    Path dir = source.resolve(split.imageDir());
    TreeMap<String, Path> out = new TreeMap<>();
    for (Path f : FolderListing.files(dir)) {
      Matcher m = split.imageStem().matcher(ImageFiles.stem(f));
      if (m.matches() && ImageFormat.of(f).isPresent()) {
        Path before = out.put(m.group(1), f);
        if (before != null) {
          throw new InvalidInputException(dir, "two images for case " + m.group(1) + ": "
              + before.getFileName() + " and " + f.getFileName() + "; keep one");
        }
      }
    }
    if (out.isEmpty()) {
      boolean zipped = FolderListing.files(dir).stream()
          .anyMatch(ImageFiles::gzipped);
      throw new InvalidInputException(dir, "holds no images named like "
          + split.imageStem().pattern().replace("\\d+", "NN").replaceAll("[()?:]", "") + ".<ending>"
          + (zipped ? "; of gzipped files only .ppm.gz and .pgm.gz are read, decompress others"
              + " (gunzip)" : ""));
    }
    return out;
  }

  private static List<SourceCase> cases(Path source, SourceLayout layout, Split split,
      Map<String, Path> images, CaseNaming naming) {
    Map<String, Path> labels = byStem(source, split.labelDir());
    boolean computeMasks = split.maskDir() == null;
    Map<String, Path> masks = computeMasks ? Map.of() : byStem(source, split.maskDir());
    boolean anyLabel = images.keySet().stream()
        .anyMatch(k -> labels.containsKey(String.format(split.labelStem(), k)));
    boolean anyMask = !computeMasks && images.keySet().stream()
        .anyMatch(k -> masks.containsKey(String.format(split.maskStem(), k)));
    List<SourceCase> out = new ArrayList<>();
    for (Map.Entry<String, Path> e : images.entrySet()) {
      String key = e.getKey();
      ImageFormat.requireSourceImage(e.getValue());
      Path label = labels.get(String.format(split.labelStem(), key));
      if (label == null && (split.needLabels() || anyLabel)) {
        throw new InvalidInputException(e.getValue(), "no label for this " + layout.option()
            + " image: expected " + expected(source, split.labelDir(), split.labelStem(), key)
            + (split.needLabels() ? "" : " (other cases of this split have one: all or none)"));
      }
      Path mask = computeMasks ? null : masks.get(String.format(split.maskStem(), key));
      if (mask == null && anyMask) {
        throw new InvalidInputException(e.getValue(), "no mask for this " + layout.option()
            + " image: expected " + expected(source, split.maskDir(), split.maskStem(), key)
            + " (other cases of this split have one: all or none)");
      }
      if (label != null) {
        ImageFormat.requireLossless(label, "label");
      }
      if (mask != null) {
        ImageFormat.requireLossless(mask, "mask");
      }
      out.add(new SourceCase(naming.id(key), e.getValue(), label, mask, computeMasks));
    }
    return out;
  }

  private static String expected(Path source, String dir, String stem, String key) {
    return source.resolve(dir).resolve(String.format(stem, key)) + ".<ending>";
  }

  /** stem -> file of a folder; a missing folder holds nothing. */
  private static Map<String, Path> byStem(Path source, String dir) {
    Path folder = source.resolve(dir);
    TreeMap<String, Path> out = new TreeMap<>();
    if (!Files.isDirectory(folder)) {
      return out;
    }
    for (Path f : FolderListing.files(folder)) {
      if (ImageFormat.of(f).isEmpty()) {
        continue; // readmes, archives
      }
      Path before = out.put(ImageFiles.stem(f), f);
      if (before != null) {
        throw new InvalidInputException(folder, "two files with the stem '" + ImageFiles.stem(f)
            + "': " + before.getFileName() + " and " + f.getFileName() + "; keep one");
      }
    }
    return out;
  }

  private static boolean anyStem(Path dir, Pattern stem) {
    return FolderListing.files(dir).stream()
        .anyMatch(f -> stem.matcher(ImageFiles.stem(f)).matches());
  }
}
