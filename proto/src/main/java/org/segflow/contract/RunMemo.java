package org.segflow.contract;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The memo on the workflows segflow starts: which dataset, run and image a workflow is about, so that
 * {@code segflow pipeline list}, {@code segflow inference list} and the Temporal Web UI can say it
 * without reading the workflow's input. Only what is known when the workflow starts: the model version
 * an inference uses is chosen by the workflow itself.
 */
public final class RunMemo {

  public static final String DATASET = "dataset";
  public static final String RUN = "run";
  public static final String IMAGE = "image";
  public static final String MODEL_VERSION = "modelVersion";

  private RunMemo() {}

  public static Map<String, Object> of(PipelineRequest r) {
    Map<String, Object> memo = new LinkedHashMap<>();
    memo.put(DATASET, r.datasetFolder());
    memo.put(RUN, r.runName());
    return memo;
  }

  public static Map<String, Object> of(InferenceRequest r) {
    Map<String, Object> memo = new LinkedHashMap<>();
    memo.put(DATASET, r.dataset());
    if (r.imageUri() != null && !r.imageUri().isBlank()) {
      memo.put(IMAGE, r.imageUri());
    }
    return memo;
  }
}
