package org.segflow.dataset;

import java.nio.file.Path;
import java.util.List;

/**
 * A scanned source folder. For {@link SourceLayout#NNUNET_RAW} the case lists are empty: the folder
 * is verified with {@link IntegrityVerifier} and used as is.
 */
public record SourceDataset(Path root, SourceLayout layout, List<SourceCase> training,
    List<SourceCase> test) {

  public SourceDataset {
    training = List.copyOf(training);
    test = List.copyOf(test);
  }

  /** Whether test cases carry labels (then labelsTs/ is written, for evaluation). */
  public boolean testLabels() {
    return !test.isEmpty() && test.get(0).label() != null;
  }
}
