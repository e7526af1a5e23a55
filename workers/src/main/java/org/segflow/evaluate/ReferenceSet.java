package org.segflow.evaluate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.segflow.InvalidInputException;
import org.segflow.dataset.CaseNaming;
import org.segflow.dataset.SourceScanner;
import org.segflow.io.FolderListing;
import org.segflow.io.ImageFiles;

/**
 * What {@code segflow evaluate PRED REF} scores against, recognised from REF:
 *
 * <ol>
 *   <li>the users' layout: {@code REF/crop_test/<n>/} or {@code REF/<n>/} holding label.* (0/255 or
 *       0/1) and optionally mask.*, the field of view;
 *   <li>a labels/masks folder pair: {@code REF/labels/} and optionally {@code REF/masks/}, paired by
 *       file stem (0/255 or 0/1);
 *   <li>an nnU-Net labels folder (labelsTs/, gt_segmentations/): files named as the predictions,
 *       masks from {@code --mask-dir}.
 * </ol>
 *
 * In the first two a case is named by the {@link CaseNaming} recognised from the prediction file
 * names, the rule by which convert and predict named it.
 *
 * @param fov the field of view used, for the report ("none" when there is none)
 */
public record ReferenceSet(Layout layout, Path root, String fov, List<ReferenceCase> cases) {

  public enum Layout {
    USERS_LAYOUT("users' layout <n>/label.*"),
    LABEL_MASK_FOLDERS("labels/ + masks/ folders"),
    NNUNET_LABELS("nnU-Net labels folder");

    private final String description;

    Layout(String description) {
      this.description = description;
    }

    public String description() {
      return description;
    }
  }

  /** A reference label by its key (folder name or stem), with its mask or null. */
  public record ReferenceCase(String key, Path label, Path mask) {}

  public ReferenceSet {
    cases = List.copyOf(cases);
  }

  /** Recognises REF; {@code maskDir} (may be null) is the FOV of the folder layouts. */
  public static ReferenceSet find(Path ref, Path maskDir) {
    if (!Files.isDirectory(ref)) {
      throw new InvalidInputException(ref, "reference folder not found");
    }
    Path cropTest = ref.resolve(SourceScanner.CROP_TEST);
    Path caseFolders = Files.isDirectory(cropTest) ? cropTest : ref;
    if (FolderListing.folders(caseFolders).stream().anyMatch(d -> file(d, "label") != null)) {
      if (maskDir != null) {
        throw new InvalidInputException(maskDir, "--mask-dir does not apply to the users' layout of "
            + caseFolders + ": its field of view is the mask.* of each case folder");
      }
      return usersLayout(caseFolders);
    }
    if (Files.isDirectory(ref.resolve("labels"))) {
      Path masks = maskDir != null ? maskDir
          : Files.isDirectory(ref.resolve("masks")) ? ref.resolve("masks") : null;
      return folderPair(ref.resolve("labels"), masks);
    }
    return new ReferenceSet(Layout.NNUNET_LABELS, ref, maskDir != null ? "masks of " + maskDir
        : siblingMasks(ref).map(m -> "none (" + m + " exists: add --mask-dir " + m + ")")
            .orElse("none"), List.of());
  }

  /** Whether the labels are the users' 0/255 or 0/1 images (else 0..K label maps). */
  public boolean binaryLabels() {
    return layout != Layout.NNUNET_LABELS;
  }

  /**
   * Each prediction file's reference case, in prediction order; a prediction without a reference
   * is an error naming the reference it expected.
   */
  public Map<String, ReferenceCase> pair(Path predictions, List<String> predictionFiles,
      String fileEnding) {
    List<String> ids = predictionFiles.stream()
        .map(f -> f.substring(0, f.length() - fileEnding.length())).toList();
    Optional<CaseNaming> naming = CaseNaming.recognise(ids);
    Map<String, ReferenceCase> byId = new LinkedHashMap<>();
    for (ReferenceCase c : cases) {
      String id = naming.map(n -> n.id(c.key())).filter(ids::contains).orElse(c.key());
      ReferenceCase before = byId.put(id, c);
      if (before != null) {
        throw new InvalidInputException(c.label(), "names the same case " + id + " as "
            + before.label() + " (folder names 1 and 01 name the same case)");
      }
    }
    Map<String, ReferenceCase> out = new LinkedHashMap<>();
    for (int i = 0; i < ids.size(); i++) {
      ReferenceCase c = byId.get(ids.get(i));
      if (c == null) {
        throw new InvalidInputException(predictions.resolve(predictionFiles.get(i)), "no reference "
            + "for this prediction in " + root + " (" + layout.description() + "): expected "
            + expected(ids.get(i), naming));
      }
      out.put(predictionFiles.get(i), c);
    }
    return out;
  }

  private String expected(String id, Optional<CaseNaming> naming) {
    String key = naming.filter(n -> id.startsWith(n.datasetName() + "_"))
        .map(n -> id.substring(n.datasetName().length() + 1)).orElse(id);
    return layout == Layout.USERS_LAYOUT ? root.resolve(key).resolve("label.png").toString()
        : root.resolve(key + ".png").toString();
  }

  private static ReferenceSet usersLayout(Path dir) {
    List<ReferenceCase> cases = new ArrayList<>();
    int masked = 0;
    for (Path d : FolderListing.folders(dir)) {
      Path label = file(d, "label");
      if (label == null) {
        throw new InvalidInputException(d, "no label file (label.png) in this case folder; every"
            + " case of " + dir + " needs one to be evaluated");
      }
      Path mask = file(d, "mask");
      masked += mask == null ? 0 : 1;
      cases.add(new ReferenceCase(d.getFileName().toString(), label, mask));
    }
    if (masked > 0 && masked < cases.size()) {
      ReferenceCase without = cases.stream().filter(c -> c.mask() == null).findFirst().orElseThrow();
      throw new InvalidInputException(without.label().getParent(), "no mask file, but " + masked
          + " other case(s) of " + dir + " have one; give every case a mask, or none");
    }
    return new ReferenceSet(Layout.USERS_LAYOUT, dir,
        masked > 0 ? "mask.* of each case folder" : "none (no mask.* in the case folders)", cases);
  }

  private static ReferenceSet folderPair(Path labels, Path masks) {
    List<ReferenceCase> cases = new ArrayList<>();
    for (Path label : FolderListing.files(labels)) {
      String stem = ImageFiles.stem(label);
      Path mask = null;
      if (masks != null) {
        mask = FolderListing.files(masks).stream().filter(m -> ImageFiles.stem(m).equals(stem))
            .findFirst().orElseThrow(() -> new InvalidInputException(masks, "no mask for " + label
                + ": expected " + masks.resolve(stem + ".png")));
      }
      cases.add(new ReferenceCase(stem, label, mask));
    }
    if (cases.isEmpty()) {
      throw new InvalidInputException(labels, "no label images to evaluate against");
    }
    return new ReferenceSet(Layout.LABEL_MASK_FOLDERS, labels,
        masks == null ? "none" : "masks of " + masks, cases);
  }

  /** masksTs/ beside labelsTs/ (masksTr/ beside labelsTr/), as convert writes them. */
  private static Optional<Path> siblingMasks(Path labels) {
    Path abs = labels.toAbsolutePath().normalize();
    String name = String.valueOf(abs.getFileName());
    if (!name.startsWith("labels") || abs.getParent() == null) {
      return Optional.empty();
    }
    Path masks = abs.getParent().resolve("masks" + name.substring("labels".length()));
    return Files.isDirectory(masks) ? Optional.of(masks) : Optional.empty();
  }

  /** The single file of {@code dir} whose stem is {@code stem} (any case), or null. */
  private static Path file(Path dir, String stem) {
    Path found = null;
    for (Path f : FolderListing.files(dir)) {
      if (stem.equals(ImageFiles.stem(f).toLowerCase(Locale.ROOT))) {
        if (found != null) {
          throw new InvalidInputException(dir, "two " + stem + " files: " + found.getFileName()
              + " and " + f.getFileName() + "; keep one");
        }
        found = f;
      }
    }
    return found;
  }
}
