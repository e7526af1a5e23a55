package org.segflow.contract;

import com.fasterxml.jackson.annotation.JsonAlias;
import java.util.List;

/**
 * A finished pipeline: what each cpu step returned (refs, cache keys, whether its step cache was
 * hit), every fold in fold order, the folds the fold cache answered (never sent to the gpu queue),
 * find-best's choice and the test predictions. {@code findBest} was called {@code ensemble} before,
 * and results of that time still read.
 */
public record PipelineResult(IngestResult ingested, ConvertResult converted, FingerprintResult fingerprinted,
    PlanResult planned, List<FoldResult> folds, List<Integer> cachedFolds,
    @JsonAlias("ensemble") FindBestResult findBest,
    PredictResult predicted) {

  public PipelineResult {
    folds = folds == null ? List.of() : List.copyOf(folds);
    cachedFolds = cachedFolds == null ? List.of() : List.copyOf(cachedFolds);
  }
}
