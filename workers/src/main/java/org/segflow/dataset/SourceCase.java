package org.segflow.dataset;

import java.nio.file.Path;

/**
 * One case of a source dataset before conversion: the image, its label (null for an unlabelled
 * test case) and its field-of-view mask (null when there is none).
 *
 * @param fovFromImage the release ships no mask, so one is computed from the image ({@link FovMask})
 */
public record SourceCase(String id, Path image, Path label, Path mask, boolean fovFromImage) {

  public SourceCase(String id, Path image, Path label, Path mask) {
    this(id, image, label, mask, false);
  }

  /** Whether the converted case gets a mask, read or computed. */
  public boolean hasMask() {
    return mask != null || fovFromImage;
  }
}
