package org.segflow.pipeline;

import ai.djl.Device;
import org.segflow.net.Engines;
import org.segflow.predict.PredictionOptions;
import org.segflow.predict.Predictor;
import org.segflow.predict.TrainedModel;
import org.segflow.registry.ModelRegistry;
import org.segflow.registry.ModelVersion;

/**
 * The one model a gpu worker keeps loaded for arriving images: loading costs seconds (networks,
 * checksums of every checkpoint), an image costs far less, so the model stays until another version
 * is asked for. Callers hold the lock while predicting: the networks serve one image at a time.
 */
public final class LoadedModel implements AutoCloseable {

  private final ModelRegistry registry;
  private final String device;
  private final int threads;
  private final PredictionOptions options;
  private String key;
  private TrainedModel model;
  private Predictor predictor;

  public LoadedModel(ModelRegistry registry, String device, int threads, PredictionOptions options) {
    this.registry = registry;
    this.device = device;
    this.threads = threads;
    this.options = options;
  }

  /** The predictor of {@code version} (must be called holding this object's lock). */
  public Predictor predictor(ModelVersion version) {
    String k = version.dataset() + "/" + version.version();
    if (!k.equals(key)) {
      close();
      Device d = Engines.device(device, Engines.pytorch(threads));
      model = TrainedModel.load(registry.files(version), d, version.postprocessing() != null);
      // the version decides test-time mirroring, so every image it segments is segmented alike
      predictor = new Predictor(model, options.withTta(version.tta()));
      key = k;
    }
    return predictor;
  }

  @Override
  public synchronized void close() {
    if (model != null) {
      model.close();
    }
    model = null;
    predictor = null;
    key = null;
  }
}
