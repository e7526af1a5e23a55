package org.segflow.train.data;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.segflow.train.augment.Sample;
import org.segflow.train.augment.SegTarget;
import org.segflow.train.augment.Transform;

/**
 * Draws a batch of crops, runs the per-sample transforms and packs the results into contiguous
 * arrays. Without deep-supervision targets attached by the transforms, the labels themselves are
 * the only target.
 */
public final class BatchAssembler implements BatchFactory {

  private final PatchSampler sampler;
  private final Transform transforms;

  public BatchAssembler(PatchSampler sampler, Transform transforms) {
    this.sampler = sampler;
    this.transforms = transforms;
  }

  @Override
  public Batch create(RandomGenerator rng) {
    List<Sample> samples = sampler.drawBatch(rng);
    for (Sample s : samples) {
      transforms.apply(s, rng);
    }
    Sample first = samples.get(0);
    int b = samples.size();
    int c = first.channels();
    int h = first.height();
    int w = first.width();
    List<SegTarget> firstTargets = targetsOf(first);
    float[] images = new float[b * c * h * w];
    List<short[]> labels = new ArrayList<>();
    for (SegTarget t : firstTargets) {
      labels.add(new short[b * t.height() * t.width()]);
    }
    List<String> ids = new ArrayList<>(b);
    for (int i = 0; i < b; i++) {
      Sample s = samples.get(i);
      if (s.height() != h || s.width() != w || s.channels() != c) {
        throw new IllegalStateException("sample " + i + " (" + s.caseId() + ") came out "
            + s.channels() + "x" + s.height() + "x" + s.width() + ", expected " + c + "x" + h + "x" + w);
      }
      System.arraycopy(s.image(), 0, images, i * c * h * w, c * h * w);
      List<SegTarget> targets = targetsOf(s);
      for (int k = 0; k < firstTargets.size(); k++) {
        SegTarget t = targets.get(k);
        SegTarget ref = firstTargets.get(k);
        if (t.height() != ref.height() || t.width() != ref.width()) {
          throw new IllegalStateException("sample " + i + " (" + s.caseId() + ") target " + k + " is "
              + t.height() + "x" + t.width() + ", expected " + ref.height() + "x" + ref.width());
        }
        int n = t.height() * t.width();
        System.arraycopy(t.labels(), 0, labels.get(k), i * n, n);
      }
      ids.add(s.caseId());
    }
    List<Batch.Target> batchTargets = new ArrayList<>(firstTargets.size());
    for (int k = 0; k < firstTargets.size(); k++) {
      SegTarget ref = firstTargets.get(k);
      batchTargets.add(new Batch.Target(ref.height(), ref.width(), labels.get(k)));
    }
    return new Batch(b, c, h, w, images, batchTargets, ids, 0);
  }

  private static List<SegTarget> targetsOf(Sample s) {
    return s.targets().isEmpty() ? List.of(new SegTarget(s.height(), s.width(), s.seg())) : s.targets();
  }
}
