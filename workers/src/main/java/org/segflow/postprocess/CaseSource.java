package org.segflow.postprocess;

import java.util.List;

/**
 * Cases for postprocessing selection, loaded on demand: the selector passes over them once per
 * candidate step, so a folder source can re-read files instead of holding every image in memory.
 */
public interface CaseSource {

  int size();

  LabeledCase load(int index);

  static CaseSource of(List<LabeledCase> cases) {
    List<LabeledCase> copy = List.copyOf(cases);
    return new CaseSource() {
      @Override
      public int size() {
        return copy.size();
      }

      @Override
      public LabeledCase load(int index) {
        return copy.get(index);
      }
    };
  }
}
