package org.segflow.predict;

import org.segflow.io.FolderListing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.segflow.InvalidInputException;
import org.segflow.dataset.CaseNaming;
import org.segflow.dataset.RawDataset;
import org.segflow.dataset.SourceScanner;
import org.segflow.io.ImageFiles;
import org.segflow.io.ImageFormat;

/**
 * Lists the cases of a prediction input, in one of three layouts (checked in this order):
 *
 * <ol>
 *   <li>the users' layout: {@code IN/crop_test/<n>/image.*} or {@code IN/<n>/image.*}; case ids by
 *       the dataset's {@link CaseNaming}, as {@code convert} names them. Its width is the widest of:
 *       the converted dataset's ids (given), the folders predicted, and the crop_train/ beside the
 *       crop_test/ predicted (IN/crop_train, or IN's sibling when IN is a crop_test folder). So
 *       predicting crop_test alone names its cases as convert named them over train and test;
 *   <li>nnU-Net's layout: {@code CASE_0000<ending>} (+ {@code _0001} ...), when every image file
 *       of IN follows it;
 *   <li>a folder of plain images, each file one case named by its stem (or IN a single image).
 * </ol>
 */
public final class InputScanner {

  private InputScanner() {}

  /** The layout found, for messages. */
  public enum Layout { CASE_FOLDERS, NNUNET, PLAIN_IMAGES }

  public record Scan(Layout layout, List<InputCase> cases) {}

  /**
   * @param datasetNaming the trained dataset's naming ({@link CaseNaming#ofRawDataset}), widened by
   *     the users' folders found here
   */
  public static Scan scan(Path in, String fileEnding, CaseNaming datasetNaming) {
    if (Files.isRegularFile(in)) {
      requireImage(in);
      return new Scan(Layout.PLAIN_IMAGES, List.of(new InputCase(ImageFiles.stem(in), List.of(in))));
    }
    if (!Files.isDirectory(in)) {
      throw new InvalidInputException(in, "input folder not found");
    }
    Path cropTest = in.resolve(SourceScanner.CROP_TEST);
    if (Files.isDirectory(cropTest)) {
      List<Path> dirs = new ArrayList<>(FolderListing.folders(cropTest));
      List<Path> numbering = new ArrayList<>(dirs);
      Path cropTrain = in.resolve(SourceScanner.CROP_TRAIN);
      if (Files.isDirectory(cropTrain)) {
        numbering.addAll(FolderListing.folders(cropTrain));
      }
      return new Scan(Layout.CASE_FOLDERS, folderCases(cropTest, dirs, numbering, datasetNaming));
    }
    List<Path> dirs = FolderListing.folders(in);
    if (!dirs.isEmpty()) {
      List<Path> numbering = new ArrayList<>(dirs);
      Path siblingTrain = in.getParent() == null ? null : in.getParent().resolve(SourceScanner.CROP_TRAIN);
      if (SourceScanner.CROP_TEST.equals(String.valueOf(in.getFileName())) && siblingTrain != null
          && Files.isDirectory(siblingTrain)) {
        numbering.addAll(FolderListing.folders(siblingTrain));
      }
      return new Scan(Layout.CASE_FOLDERS, folderCases(in, dirs, numbering, datasetNaming));
    }
    List<Path> images = FolderListing.entries(in).stream().filter(Files::isRegularFile)
        .filter(p -> ImageFormat.of(p).isPresent()).toList();
    if (images.isEmpty()) {
      throw new InvalidInputException(in, "no images found: expected CASE_0000" + fileEnding
          + " files (nnU-Net), <n>/image.png folders (optionally under crop_test/), or plain images");
    }
    Pattern nnunet = Pattern.compile(".+_\\d{4}" + Pattern.quote(fileEnding));
    if (images.stream().allMatch(p -> nnunet.matcher(p.getFileName().toString()).matches())) {
      List<InputCase> cases = new ArrayList<>();
      for (String id : RawDataset.identifiers(in, fileEnding)) {
        cases.add(new InputCase(id, RawDataset.channelFiles(in, id, fileEnding)));
      }
      return new Scan(Layout.NNUNET, cases);
    }
    TreeMap<String, InputCase> byId = new TreeMap<>();
    for (Path p : images) {
      InputCase before = byId.put(ImageFiles.stem(p), new InputCase(ImageFiles.stem(p), List.of(p)));
      if (before != null) {
        throw new InvalidInputException(p, "two images for case '" + ImageFiles.stem(p) + "': also "
            + before.files().get(0).getFileName() + "; keep one");
      }
    }
    return new Scan(Layout.PLAIN_IMAGES, new ArrayList<>(byId.values()));
  }

  /** Case folders holding an image.*; folders without one are reported, not skipped silently. */
  private static List<InputCase> folderCases(Path parent, List<Path> dirs, List<Path> numbering,
      CaseNaming datasetNaming) {
    CaseNaming naming = datasetNaming.widenedBy(
        numbering.stream().map(d -> d.getFileName().toString()).toList());
    TreeMap<String, InputCase> byId = new TreeMap<>();
    for (Path dir : dirs) {
      Path image = null;
      for (Path f : FolderListing.entries(dir)) {
        if (Files.isRegularFile(f) && "image".equals(ImageFiles.stem(f).toLowerCase(Locale.ROOT))) {
          if (image != null) {
            throw new InvalidInputException(dir, "two image files: " + image.getFileName() + " and "
                + f.getFileName() + "; keep one");
          }
          image = f;
        }
      }
      if (image == null) {
        throw new InvalidInputException(dir, "no image file (image.png, .tif, .bmp or .jpg) in this case"
            + " folder of " + parent);
      }
      String id = naming.id(dir.getFileName().toString());
      InputCase before = byId.put(id, new InputCase(id, List.of(image)));
      if (before != null) {
        throw new InvalidInputException(dir, "case id " + id + " is also given by "
            + before.files().get(0).getParent() + " (folder names 1 and 01 name the same case)");
      }
    }
    return new ArrayList<>(byId.values());
  }

  private static void requireImage(Path file) {
    if (ImageFormat.of(file).isEmpty()) {
      throw new InvalidInputException(file, "not a PNG, TIFF, BMP, GIF, PPM/PGM or JPEG image");
    }
  }

}
