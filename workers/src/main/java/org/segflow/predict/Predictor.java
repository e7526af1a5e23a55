package org.segflow.predict;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.segflow.Futures;
import org.segflow.InvalidInputException;
import org.segflow.infer.LogitEnsemble;
import org.segflow.infer.NetworkTileLogits;
import org.segflow.infer.SegmentationExport;
import org.segflow.infer.SlidingWindowOptions;
import org.segflow.infer.SlidingWindowPredictor;
import org.segflow.io.DecodedImage;
import org.segflow.io.ImageArray;
import org.segflow.preprocess.PreprocessedCase;

/**
 * nnU-Net's predict_from_raw_data for 2D images: each case is read and converted to the training
 * channels, preprocessed as in the plans (crop to nonzero, normalization), segmented by every fold's
 * network with the sliding window (Gaussian weighting, optional mirroring), the folds' logits
 * averaged, then softmax, argmax, uncropped to the input geometry and postprocessed if chosen.
 *
 * <p>{@link #predictAll} overlaps reading/preprocessing and writing with inference on one helper
 * thread: the networks run only on the calling thread, and at most about two cases are in memory
 * (the one being inferred, plus the next one being prepared or the previous one being written).
 */
public final class Predictor {

  /** A case read, converted and preprocessed, with the decoded input for the overlay. */
  public record PreparedCase(String caseId, PreprocessedCase data, DecodedImage photo) {}

  private final TrainedModel model;
  private final PredictionOptions options;
  private final ChannelConverter converter;
  private final List<SlidingWindowPredictor> windows = new ArrayList<>();

  public Predictor(TrainedModel model, PredictionOptions options) {
    this.model = model;
    this.options = options;
    this.converter = new ChannelConverter(model.channelNames());
    int[] patch = model.patchSize();
    for (TrainedModel.FoldNetwork fold : model.folds()) {
      SlidingWindowOptions sw = SlidingWindowOptions.defaults().withStepSize(options.stepSize())
          .withTilesPerCall(options.tilesPerCall());
      sw = options.tta() ? sw.withMirrorAxes(fold.mirrorAxes()) : sw.withMirroring(false);
      windows.add(new SlidingWindowPredictor(
          new NetworkTileLogits(fold.network(), model.manager(), model.device()), patch[0], patch[1], sw));
    }
  }

  public TrainedModel model() {
    return model;
  }

  public PredictionOptions options() {
    return options;
  }

  public ChannelConverter converter() {
    return converter;
  }

  /** Reads the case's files, converts them to the training channels and preprocesses them. */
  public PreparedCase prepare(InputCase c) {
    ChannelConverter.Converted read = converter.read(c.files());
    return prepare(c.id(), read.image(), read.firstFile());
  }

  /** Preprocesses an image already in the training channels; {@code photo} is shown in the overlay. */
  public PreparedCase prepare(String caseId, ImageArray image, DecodedImage photo) {
    return new PreparedCase(caseId, model.preprocessor().run(caseId, image, null), photo);
  }

  /** The folds' mean logits (K, h, w) of the cropped region (each fold's TTA-averaged sliding window). */
  public ImageArray logits(PreparedCase c) {
    LogitEnsemble ensemble = new LogitEnsemble();
    for (SlidingWindowPredictor w : windows) {
      ensemble.add(w.predictLogits(c.data().data()));
    }
    return ensemble.mean();
  }

  /** Softmax, argmax, uncrop and postprocessing; probabilities only when asked for. */
  public CasePrediction export(PreparedCase c, ImageArray logits, boolean probabilities) {
    PreprocessedCase.CaseProperties props = c.data().properties();
    int[] shape = props.shapeBeforeCropping();
    int h = shape[shape.length - 2];
    int w = shape[shape.length - 1];
    short[] labels = model.postprocessing().apply(SegmentationExport.labels(logits, props), h, w);
    ImageArray p = probabilities ? SegmentationExport.probabilities(logits, props) : null;
    return new CasePrediction(c.caseId(), h, w, logits.channels(), labels, p);
  }

  /** Logits and export in one call, probabilities as the options say. */
  public CasePrediction predict(PreparedCase c) {
    return export(c, logits(c), options.saveProbabilities());
  }

  /** Writes the case's outputs into {@code outDir}. */
  public void write(PreparedCase c, CasePrediction p, Path outDir) {
    new CaseOutputs(outDir, c.caseId()).write(p,
        Overlay.render(Overlay.displayRgb(c.photo()), p.labels(), options.overlayOutline()));
  }

  /**
   * Predicts every case into {@code outDir} (which must exist). A case that fails is reported and
   * skipped; the others are written. With continuePrediction, complete cases are skipped.
   */
  public PredictionReport predictAll(List<InputCase> cases, Path outDir, PredictionListener listener) {
    long start = System.nanoTime();
    List<InputCase> todo = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    for (InputCase c : cases) {
      if (options.continuePrediction() && new CaseOutputs(outDir, c.id()).complete(options)) {
        skipped.add(c.id());
      } else {
        todo.add(c);
      }
    }
    listener.onStart(todo.size(), skipped.size());
    List<String> written = new ArrayList<>();
    List<PredictionReport.Failure> failures = new ArrayList<>();
    Progress progress = new Progress(listener, todo.size(), start, written, failures);
    ExecutorService io = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "segflow-predict-io");
      t.setDaemon(true);
      return t;
    });
    try {
      Future<PreparedCase> next = todo.isEmpty() ? null : submitPrepare(io, todo.get(0));
      Future<String> writing = null;
      String writingId = null;
      for (int i = 0; i < todo.size(); i++) {
        String id = todo.get(i).id();
        PreparedCase prepared = null;
        try {
          prepared = await(next);
        } catch (RuntimeException e) {
          progress.failed(id, e);
        }
        next = i + 1 < todo.size() ? submitPrepare(io, todo.get(i + 1)) : null;
        if (prepared == null) {
          continue;
        }
        CasePrediction prediction;
        try {
          prediction = predict(prepared);
        } catch (RuntimeException e) {
          progress.failed(id, e);
          continue;
        }
        if (writing != null) {
          progress.finishWrite(writingId, writing);
        }
        PreparedCase p = prepared;
        writing = io.submit(() -> {
          write(p, prediction, outDir);
          return p.caseId();
        });
        writingId = id;
      }
      if (writing != null) {
        progress.finishWrite(writingId, writing);
      }
    } finally {
      io.shutdownNow();
    }
    return new PredictionReport(written, skipped, failures, (System.nanoTime() - start) / 1e9);
  }

  private Future<PreparedCase> submitPrepare(ExecutorService io, InputCase c) {
    return io.submit(() -> prepare(c));
  }

  private static <T> T await(Future<T> f) {
    return Futures.join(f, "prediction");
  }

  /** Counts and reports cases as they finish (called on the predicting thread only). */
  private static final class Progress {
    private final PredictionListener listener;
    private final int total;
    private final long start;
    private final List<String> written;
    private final List<PredictionReport.Failure> failures;

    Progress(PredictionListener listener, int total, long start, List<String> written,
        List<PredictionReport.Failure> failures) {
      this.listener = listener;
      this.total = total;
      this.start = start;
      this.written = written;
      this.failures = failures;
    }

    void finishWrite(String id, Future<String> writing) {
      try {
        await(writing);
        written.add(id);
        listener.onCaseWritten(id, done(), total, (System.nanoTime() - start) / 1e9);
      } catch (RuntimeException e) {
        failed(id, e);
      }
    }

    /**
     * Records a case that failed and goes on with the others; an interrupt (a cancelled activity, a
     * stopping worker) is not a case's failure and ends the run.
     */
    void failed(String id, RuntimeException e) {
      if (Thread.currentThread().isInterrupted()) {
        throw e;
      }
      String message = e instanceof InvalidInputException || e.getMessage() != null
          ? e.getMessage() : e.toString();
      failures.add(new PredictionReport.Failure(id, message, e instanceof InvalidInputException));
      listener.onCaseFailed(id, message, done(), total);
    }

    private int done() {
      return written.size() + failures.size();
    }
  }
}
