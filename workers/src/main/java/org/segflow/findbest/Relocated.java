package org.segflow.findbest;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.segflow.evaluate.CaseEvaluation;
import org.segflow.evaluate.Summary;

/**
 * Folders are built under a temporary name and renamed when complete; their summary.json must name
 * the prediction files where they end up, not where they were scored.
 */
final class Relocated {

  private Relocated() {}

  static Summary summary(Summary scored, Path finalFolder) {
    List<CaseEvaluation> cases = new ArrayList<>(scored.cases().size());
    for (CaseEvaluation c : scored.cases()) {
      String name = Path.of(c.predictionFile()).getFileName().toString();
      cases.add(new CaseEvaluation(finalFolder.resolve(name).toString(), c.referenceFile(), c.metrics(),
          c.fov()));
    }
    return new Summary(scored.labels(), cases);
  }
}
