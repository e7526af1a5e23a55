package org.segflow.pipeline;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.function.Consumer;
import org.segflow.dataset.DatasetName;
import org.segflow.dataset.RawDataset;
import org.segflow.plan.PlanAndPreprocess;

/**
 * The second half of {@link PlanAndPreprocess} as its own pipeline step: the 2d plans from a written
 * fingerprint, the preprocessed training cases and splits_final.json, the same files
 * plan_and_preprocess writes.
 */
public final class PlanStep {

  private PlanStep() {}

  public static PlanAndPreprocess.Planned run(DatasetName name, Path rawDir, Path ppDir, Path fingerprintFile,
      double gpuMemoryTargetGb, String plansName, Consumer<String> log) {
    return PlanAndPreprocess.planPreprocessSplit(name, RawDataset.open(rawDir), rawDir, ppDir,
        FingerprintStep.read(fingerprintFile), gpuMemoryTargetGb, plansName, log, new LinkedHashMap<>());
  }
}
