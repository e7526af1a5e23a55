package org.segflow.pipeline;

import java.nio.file.Path;
import org.segflow.dataset.ConversionOptions;
import org.segflow.dataset.DatasetConverter;
import org.segflow.dataset.DatasetName;
import org.segflow.plan.PlanAndPreprocess;
import org.segflow.sample.FundusSampleGenerator;
import org.segflow.sample.SampleSpec;
import org.segflow.storage.SegflowPaths;

/** Test fixture: a small synthetic fundus dataset taken through sample, convert and plan-and-preprocess. */
public final class SampleDatasets {

  private SampleDatasets() {}

  public static PlanAndPreprocess.Result prepare(Path home, int id, int trainCases, int size) {
    SegflowPaths paths = SegflowPaths.under(home);
    Path source = home.resolve("source");
    FundusSampleGenerator.generate(source, new SampleSpec(trainCases, 2, size, size, 7), true);
    DatasetName name = new DatasetName(id, "Sample");
    new DatasetConverter().convert(source, paths.raw(), name, ConversionOptions.DEFAULTS);
    return new PlanAndPreprocess(paths, m -> { }).run(name.folderName(),
        new PlanAndPreprocess.Options(true, 8, "nnUNetPlans", 2));
  }
}
