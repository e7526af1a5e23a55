package org.segflow.dataset;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.segflow.InvalidInputException;

/**
 * The source folder layouts {@link SourceScanner} recognises; {@link PublicLayouts} holds the file
 * rules of the public releases.
 */
public enum SourceLayout {
  /** {@code crop_train/<n>/{image,label,mask}.*}, {@code crop_test/<n>/...}; {@code original/} ignored. */
  CROP_FOLDERS("crop_folders", "crop"),
  /** {@code images/}, {@code labels/} and optionally {@code masks/}, paired by file stem. */
  IMAGE_LABEL_FOLDERS("image_label_folders", "folders"),
  /** An nnU-Net raw dataset (dataset.json, imagesTr/, labelsTr/), verified and used as is. */
  NNUNET_RAW("nnunet_raw", "raw"),
  /** The DRIVE release: training/ and test/, each with images/, 1st_manual/ and mask/. */
  DRIVE("drive", "drive"),
  /** The CHASE_DB1 release: one flat folder of Image_NNx.jpg and Image_NNx_1stHO.png. */
  CHASE_DB1("chase_db1", "chase"),
  /** The STARE release: imNNNN.ppm with labels-ah/imNNNN.ah.ppm (either may be gzipped). */
  STARE("stare", "stare"),
  /** The HRF release: images/, manual1/ and mask/. */
  HRF("hrf", "hrf");

  private final String key;
  private final String option;

  SourceLayout(String key, String option) {
    this.key = key;
    this.option = option;
  }

  /** The name used in manifest.json. */
  public String key() {
    return key;
  }

  /** The name given to {@code convert --layout}. */
  public String option() {
    return option;
  }

  /** The layout named {@code s} (its option or manifest key, any case). */
  public static SourceLayout parse(String s) {
    String v = s.strip().toLowerCase(Locale.ROOT);
    for (SourceLayout l : values()) {
      if (l.option.equals(v) || l.key.equals(v)) {
        return l;
      }
    }
    throw new InvalidInputException("unknown layout '" + s + "'; expected one of " + options());
  }

  /** The accepted {@code --layout} names, e.g. "crop, folders, raw, drive, ...". */
  public static String options() {
    return Arrays.stream(values()).map(SourceLayout::option).collect(Collectors.joining(", "));
  }
}
