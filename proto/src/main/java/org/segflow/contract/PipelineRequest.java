package org.segflow.contract;

import java.util.List;
import java.util.Locale;

/**
 * What {@link PipelineWorkflow} runs: a source dataset taken through ingest, convert, fingerprint,
 * plan, the requested folds' training, find-best over those folds and the prediction of the test
 * images.
 *
 * @param source         the source folder: relative to SEGFLOW_HOME, or absolute
 * @param datasetId      nnU-Net dataset id (1-999)
 * @param datasetName    dataset name, e.g. CHASEDB1
 * @param channels       gray or rgb
 * @param memoryTargetGb the planner's GPU memory target
 * @param epochs         epochs per fold (nnU-Net: 1000)
 * @param iterations     training iterations per epoch (nnU-Net: 250)
 * @param valIterations  validation iterations per epoch (nnU-Net: 50)
 * @param folds          the folds to train, each 0-4
 * @param runName        names the run; part of the workflow id
 * @param heartbeatTimeoutSeconds how soon a silent gpu activity (a dead worker) is retried elsewhere;
 *                       0 for the default of minutes. Tests and small runs shorten it.
 * @param maxFoldDurationSeconds a limit on one fold attempt's duration, 0 for none: by default a fold
 *                       may run for weeks as long as it heartbeats
 */
public record PipelineRequest(String source, int datasetId, String datasetName, String channels,
    double memoryTargetGb, int epochs, int iterations, int valIterations, List<Integer> folds,
    String runName, int heartbeatTimeoutSeconds, long maxFoldDurationSeconds) {

  public PipelineRequest {
    folds = folds == null ? List.of() : List.copyOf(folds);
    if (heartbeatTimeoutSeconds < 0) {
      throw new IllegalArgumentException("heartbeat timeout must be >= 0 s, got " + heartbeatTimeoutSeconds);
    }
    if (maxFoldDurationSeconds < 0) {
      throw new IllegalArgumentException("max fold duration must be >= 0 s, got " + maxFoldDurationSeconds);
    }
  }

  /** A request without a limit on a fold's duration. */
  public PipelineRequest(String source, int datasetId, String datasetName, String channels, double memoryTargetGb,
      int epochs, int iterations, int valIterations, List<Integer> folds, String runName,
      int heartbeatTimeoutSeconds) {
    this(source, datasetId, datasetName, channels, memoryTargetGb, epochs, iterations, valIterations, folds,
        runName, heartbeatTimeoutSeconds, 0);
  }

  /** A request with the default heartbeat timeout. */
  public PipelineRequest(String source, int datasetId, String datasetName, String channels, double memoryTargetGb,
      int epochs, int iterations, int valIterations, List<Integer> folds, String runName) {
    this(source, datasetId, datasetName, channels, memoryTargetGb, epochs, iterations, valIterations, folds,
        runName, 0);
  }

  /** {@code Dataset002_CHASEDB1}, nnU-Net's folder name. */
  public String datasetFolder() {
    return String.format(Locale.ROOT, "Dataset%03d_%s", datasetId, datasetName);
  }

  /** {@code pipeline-Dataset002_CHASEDB1-<runName>}: one pipeline per dataset and run name. */
  public String workflowId() {
    return "pipeline-" + datasetFolder() + "-" + runName;
  }
}
