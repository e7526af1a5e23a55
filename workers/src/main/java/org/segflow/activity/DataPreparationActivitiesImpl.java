package org.segflow.activity;

import java.util.function.Supplier;
import org.segflow.contract.ConvertRequest;
import org.segflow.contract.ConvertResult;
import org.segflow.contract.DataPreparationActivities;
import org.segflow.contract.FindBestRequest;
import org.segflow.contract.FindBestResult;
import org.segflow.contract.FingerprintRequest;
import org.segflow.contract.FingerprintResult;
import org.segflow.contract.FinishedFold;
import org.segflow.contract.FoldRequest;
import org.segflow.contract.IngestRequest;
import org.segflow.contract.IngestResult;
import org.segflow.contract.PlanRequest;
import org.segflow.contract.PlanResult;
import org.segflow.pipeline.DataPreparation;
import org.segflow.storage.SegflowPaths;

/**
 * The cpu steps ({@link DataPreparation}) as activities: the worker heartbeats while a step runs, and
 * invalid input is a final failure.
 */
public final class DataPreparationActivitiesImpl implements DataPreparationActivities {

  private final DataPreparation steps;

  public DataPreparationActivitiesImpl(SegflowPaths paths, int threads) {
    this.steps = new DataPreparation(paths, threads);
  }

  @Override
  public IngestResult ingest(IngestRequest r) {
    return step(() -> steps.ingest(r));
  }

  @Override
  public ConvertResult convert(ConvertRequest r) {
    return step(() -> steps.convert(r));
  }

  @Override
  public FingerprintResult fingerprint(FingerprintRequest r) {
    return step(() -> steps.fingerprint(r));
  }

  @Override
  public PlanResult planAndPreprocess(PlanRequest r) {
    return step(() -> steps.plan(r));
  }

  @Override
  public FinishedFold finishedFold(FoldRequest r) {
    return step(() -> steps.finishedFold(r));
  }

  @Override
  public FindBestResult findBest(FindBestRequest r) {
    return step(() -> steps.findBest(r));
  }

  /** A step as an activity: invalid input is final, and the worker heartbeats while it runs. */
  private static <T> T step(Supplier<T> work) {
    return LivenessHeartbeats.during(() -> Failures.invalidInputIsFinal(work));
  }
}
