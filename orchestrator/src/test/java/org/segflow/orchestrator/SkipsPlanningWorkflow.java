package org.segflow.orchestrator;

import io.temporal.activity.ActivityOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.List;
import org.segflow.contract.ConvertRequest;
import org.segflow.contract.ConvertResult;
import org.segflow.contract.DataPreparationActivities;
import org.segflow.contract.FoldProgress;
import org.segflow.contract.FoldRequest;
import org.segflow.contract.IngestRequest;
import org.segflow.contract.IngestResult;
import org.segflow.contract.PipelineProgress;
import org.segflow.contract.PipelineRequest;
import org.segflow.contract.PipelineResult;
import org.segflow.contract.PipelineStage;
import org.segflow.contract.PipelineWorkflow;
import org.segflow.contract.TrainingActivities;

/**
 * A non-deterministic change of the pipeline for {@link PipelineReplayTest}: the same first two
 * steps, then it trains right after convert (no fingerprint, plan or fold cache).
 */
public final class SkipsPlanningWorkflow implements PipelineWorkflow {

  @Override
  public PipelineResult run(PipelineRequest r) {
    ActivityOptions o = ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofHours(1)).build();
    DataPreparationActivities prepare = Workflow.newActivityStub(DataPreparationActivities.class, o);
    IngestResult i = prepare.ingest(new IngestRequest(r.source(), r.datasetId(), r.datasetName()));
    ConvertResult c = prepare.convert(new ConvertRequest(r.source(), r.datasetId(), r.datasetName(), r.channels(),
        i.sourceManifest()));
    Workflow.newActivityStub(TrainingActivities.class, o)
        .trainFold(new FoldRequest(c.dataset(), 0, "2d", c.manifest(), "", 1, 1, 1));
    return new PipelineResult(i, c, null, null, List.of(), List.of(), null, null);
  }

  @Override
  public PipelineProgress progress() {
    return new PipelineProgress(PipelineStage.CONVERT, List.of());
  }

  @Override
  public void foldProgress(FoldProgress p) {}
}
