package org.segflow.dataset;

import java.nio.file.Path;
import java.util.List;

/**
 * One case of an nnU-Net raw dataset: its channel files ({@code CASE_0000.png}, ...) in channel order,
 * its label file ({@code labelsTr/CASE.png}; for test cases {@code labelsTs/CASE.png} when present, else null) and, for retinal data, the
 * field-of-view mask kept aside for evaluation (null when there is none).
 */
public record RawCase(String id, List<Path> images, Path label, Path fovMask) {

  public RawCase {
    images = List.copyOf(images);
  }
}
