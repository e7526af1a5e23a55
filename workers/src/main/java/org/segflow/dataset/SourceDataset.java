package org.segflow.dataset;

import java.nio.file.Path;
import java.util.List;

/**
 * A scanned source folder. For {@link SourceLayout#NNUNET_RAW} the case lists are empty: the folder
 * is verified with {@link IntegrityVerifier} and used as is.
 *
 * @param notes what conversion had to decide for this layout (computed masks, the split), for the
 *              conversion log and manifest.json
 */
public record SourceDataset(Path root, SourceLayout layout, List<SourceCase> training,
    List<SourceCase> test, List<String> notes) {

  public SourceDataset {
    training = List.copyOf(training);
    test = List.copyOf(test);
    notes = List.copyOf(notes);
  }

  public SourceDataset(Path root, SourceLayout layout, List<SourceCase> training,
      List<SourceCase> test) {
    this(root, layout, training, test, List.of());
  }

  /** Whether test cases carry labels (then labelsTs/ is written, for evaluation). */
  public boolean testLabels() {
    return !test.isEmpty() && test.get(0).label() != null;
  }
}
