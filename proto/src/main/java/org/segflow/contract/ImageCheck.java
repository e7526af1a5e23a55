package org.segflow.contract;

/**
 * The arrived image as checked: readable, the sha256 the event named, and the promoted model
 * version that will segment it (fixed here so that retries use the same model). {@code shadowVersion}
 * is the version that segments the image beside it without publishing (the dataset's live shadow run),
 * null when there is none (and in histories recorded before shadow runs existed).
 */
public record ImageCheck(String dataset, String modelVersion, int height, int width, int channels,
    String shadowVersion) {

  /** A check without a shadow version. */
  public ImageCheck(String dataset, String modelVersion, int height, int width, int channels) {
    this(dataset, modelVersion, height, width, channels, null);
  }
}
