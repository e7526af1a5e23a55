package org.segflow.sample;

/** The two folders of the users' layout. */
public enum SampleSplit {
  TRAIN("crop_train"),
  TEST("crop_test");

  private final String folder;

  SampleSplit(String folder) {
    this.folder = folder;
  }

  /** Folder name under the dataset root, e.g. {@code crop_train}. */
  public String folder() {
    return folder;
  }
}
