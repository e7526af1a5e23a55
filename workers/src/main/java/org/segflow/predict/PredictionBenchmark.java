package org.segflow.predict;

import ai.djl.Device;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.segflow.InvalidInputException;
import org.segflow.infer.SlidingWindowGeometry;
import org.segflow.io.DecodedImage;
import org.segflow.io.ImageArray;
import org.segflow.net.Engines;
import org.segflow.net.Precision;
import org.segflow.sample.FundusSampleGenerator;
import org.segflow.sample.SampleCase;
import org.segflow.sample.SampleSpec;
import org.segflow.sample.SampleSplit;
import org.segflow.storage.AtomicFiles;
import org.segflow.storage.SegflowPaths;
import org.segflow.train.bench.ConvolutionCeiling;
import org.segflow.train.bench.ProcessMemory;
import org.segflow.train.bench.UNetFlops;

/**
 * Seconds to predict one synthetic fundus photograph of a given size with a trained model, with and
 * without mirroring TTA, for several fold counts. A fold count above the number of trained folds
 * reuses the trained checkpoints (the time depends on the count, not on the weights), and says so.
 * Timed: conversion, preprocessing, every fold's sliding window, export and writing the four outputs
 * (label map, mask, overlay; no probabilities). One untimed run warms the engine up first.
 */
public final class PredictionBenchmark {

  /**
   * One timed configuration; {@code reused} when fewer folds were trained than asked for; {@code gflop}:
   * the convolution FLOPs of its network passes (tiles x mirrorings x folds, {@link UNetFlops}).
   */
  public record Row(int folds, boolean tta, double seconds, boolean reused, double gflop) {}

  public record Result(String description, List<Row> rows, long peakRssBytes, Precision precision) {

    public String report() {
      StringBuilder sb = new StringBuilder(description).append(System.lineSeparator());
      for (Row r : rows) {
        sb.append(String.format(Locale.ROOT, "  %d fold(s) %-7s %7.2f s per image%s%n", r.folds(),
            r.tta() ? "TTA" : "no TTA", r.seconds(),
            r.reused() ? "  (trained checkpoints reused to make up the count)" : ""));
      }
      sb.append(String.format(Locale.ROOT, "  peak RSS %.2f GB", peakRssBytes / 1e9));
      return sb.toString();
    }

    /** Each row's convolution work and the least time it can take at {@code ceiling}. */
    public String floors(ConvolutionCeiling.Result ceiling) {
      StringBuilder sb = new StringBuilder(ceiling.report());
      for (Row r : rows) {
        sb.append(System.lineSeparator()).append("  ").append(ceiling.floor(
            String.format(Locale.ROOT, "%d fold(s) %s", r.folds(), r.tta() ? "TTA" : "no TTA"), r.gflop(),
            r.seconds()));
      }
      return sb.toString();
    }
  }

  private PredictionBenchmark() {}

  /**
   * @param checkpoint which checkpoint of each trained fold to use (a fold without it is not used)
   */
  public static Result run(SegflowPaths paths, String dataset, String configuration, String plansName,
      ModelFiles.CheckpointChoice checkpoint, int height, int width, List<Integer> foldCounts, Device device,
      Consumer<String> log) {
    return run(paths, dataset, configuration, plansName, checkpoint, height, width, foldCounts, device,
        PredictionOptions.defaults(), log);
  }

  /** As above with {@code options}' step size and tiles per call (TTA is measured on and off). */
  public static Result run(SegflowPaths paths, String dataset, String configuration, String plansName,
      ModelFiles.CheckpointChoice checkpoint, int height, int width, List<Integer> foldCounts, Device device,
      PredictionOptions options, Consumer<String> log) {
    List<ModelFiles.FoldCheckpoint> trained = new ArrayList<>();
    ModelFiles files = null;
    InvalidInputException lastMissing = null;
    for (String fold : ModelFiles.ALL_FOLDS) {
      try {
        ModelFiles one = ModelFiles.locate(paths, dataset, configuration, plansName, List.of(fold), checkpoint);
        trained.add(one.checkpoints().get(0));
        files = one;
      } catch (InvalidInputException e) {
        lastMissing = e;
      }
    }
    if (files == null) {
      throw new InvalidInputException(null, "no fold of dataset " + dataset + " " + configuration + " has a "
          + checkpoint.fileName() + ": " + lastMissing.getMessage(), lastMissing);
    }
    ImageArray rgb = syntheticPhoto(height, width);
    DecodedImage photo = new DecodedImage(rgb, 8);
    Path out = tempDir();
    List<Row> rows = new ArrayList<>();
    Precision precision = null;
    try {
      boolean warm = false;
      for (int count : foldCounts) {
        if (count < 1) {
          throw new InvalidInputException("fold counts must be at least 1, got " + count);
        }
        List<ModelFiles.FoldCheckpoint> chosen = new ArrayList<>();
        for (int i = 0; i < count; i++) {
          chosen.add(trained.get(i % trained.size()));
        }
        try (TrainedModel model = TrainedModel.load(files.withCheckpoints(chosen), device, false)) {
          precision = Engines.inferencePrecision(device, model.folds().get(0).network().architecture());
          for (boolean tta : new boolean[] {true, false}) {
            Predictor predictor = new Predictor(model, options.withTta(tta));
            ImageArray input = predictor.converter().convert(List.of(Path.of("synthetic.png")),
                new DecodedImage[] {photo});
            if (!warm) {
              log.accept("warm-up run (untimed)");
              once(predictor, input, photo, out);
              warm = true;
            }
            double s = once(predictor, input, photo, out);
            Row row = new Row(count, tta, s, count > trained.size(), gflop(model, predictor, input, photo));
            log.accept(String.format(Locale.ROOT, "%d fold(s) %s: %.2f s", count, tta ? "TTA" : "no TTA", s));
            rows.add(row);
          }
        }
      }
    } finally {
      AtomicFiles.deleteRecursively(out);
    }
    String desc = String.format(Locale.ROOT, "%s %s, %s, %dx%d synthetic fundus image (HxW), patch %s, "
        + "%d trained fold(s) (%s), device %s, %s, %d tile(s) per call", files.dataset().folderName(), configuration,
        checkpoint.fileName(), height, width, planPatch(files), trained.size(),
        String.join(",", trained.stream().map(ModelFiles.FoldCheckpoint::fold).toList()), device, precision,
        options.tilesPerCall());
    return new Result(desc, rows, ProcessMemory.peakRssBytes(), precision);
  }

  private static double once(Predictor predictor, ImageArray input, DecodedImage photo, Path out) {
    long t0 = System.nanoTime();
    Predictor.PreparedCase c = predictor.prepare("bench", input, photo);
    predictor.write(c, predictor.predict(c), out);
    return (System.nanoTime() - t0) / 1e9;
  }

  /** Convolution GFLOP of predicting {@code input}: tile positions x mirrored passes x forward, per fold. */
  private static double gflop(TrainedModel model, Predictor predictor, ImageArray input, DecodedImage photo) {
    Predictor.PreparedCase c = predictor.prepare("bench", input, photo);
    ImageArray data = c.data().data();
    int[] patch = model.patchSize();
    int tiles = SlidingWindowGeometry.of(data.height(), data.width(), patch[0], patch[1],
        predictor.options().stepSize()).tileCount();
    double total = 0;
    for (TrainedModel.FoldNetwork f : model.folds()) {
      int passes = predictor.options().tta() ? 1 << f.mirrorAxes().length : 1;
      total += tiles * passes * UNetFlops.forward(f.network().architecture(), 1, patch[0], patch[1]);
    }
    return total / 1e9;
  }

  /** A synthetic RGB fundus photograph (seeded, so every run times the same image). */
  public static ImageArray syntheticPhoto(int height, int width) {
    SampleCase s = FundusSampleGenerator.generateCase(new SampleSpec(1, 0, height, width, 1), SampleSplit.TRAIN, 0);
    int n = s.pixels();
    float[] data = new float[3 * n];
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < 3; c++) {
        data[c * n + i] = s.rgb(i, c);
      }
    }
    return new ImageArray(3, height, width, data);
  }

  private static String planPatch(ModelFiles files) {
    return org.segflow.plan.Plans.read(files.plansFile()).configuration(files.configuration()).patchSize().toString();
  }

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("segflow-bench-predict");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
