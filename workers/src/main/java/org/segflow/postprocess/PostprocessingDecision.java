package org.segflow.postprocess;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.segflow.evaluate.Summary;
import org.segflow.evaluate.SummaryJson;
import org.segflow.storage.Json;

/**
 * The outcome of {@link PostprocessingSelector}: the chosen steps and the evaluations before and
 * after them. Its JSON is nnU-Net's postprocessing.json ({@code input_folder}, {@code postprocessed},
 * {@code postprocessing_fns}, {@code postprocessing_kwargs}), which also serves as the machine-readable
 * choice that nnU-Net keeps in postprocessing.pkl.
 */
public record PostprocessingDecision(Postprocessing postprocessing, Summary before, Summary after) {

  public static final String FILE_NAME = "postprocessing.json";

  public Map<String, Object> toJson() {
    Map<String, Object> m = new TreeMap<>();
    m.put("input_folder", SummaryJson.meansBlock(before));
    m.put("postprocessed", SummaryJson.meansBlock(after));
    m.put("postprocessing_fns", postprocessing.functionNames());
    m.put("postprocessing_kwargs", postprocessing.kwargsJson());
    return m;
  }

  public void write(Path file) {
    Json.write(file, toJson());
  }
}
