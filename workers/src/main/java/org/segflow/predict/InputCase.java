package org.segflow.predict;

import java.nio.file.Path;
import java.util.List;

/** One image to segment: its case id (output names) and its channel file(s), in channel order. */
public record InputCase(String id, List<Path> files) {

  public InputCase {
    files = List.copyOf(files);
    if (files.isEmpty()) {
      throw new IllegalArgumentException("case " + id + " has no files");
    }
  }
}
