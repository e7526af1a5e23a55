package org.segflow.dataset;

/** The source folder layouts {@link SourceScanner} recognises. */
public enum SourceLayout {
  /** {@code crop_train/<n>/{image,label,mask}.*}, {@code crop_test/<n>/...}; {@code original/} ignored. */
  CROP_FOLDERS("crop_folders"),
  /** {@code images/}, {@code labels/} and optionally {@code masks/}, paired by file stem. */
  IMAGE_LABEL_FOLDERS("image_label_folders"),
  /** An nnU-Net raw dataset (dataset.json, imagesTr/, labelsTr/), verified and used as is. */
  NNUNET_RAW("nnunet_raw");

  private final String key;

  SourceLayout(String key) {
    this.key = key;
  }

  /** The name used in manifest.json. */
  public String key() {
    return key;
  }
}
