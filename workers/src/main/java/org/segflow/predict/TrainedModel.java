package org.segflow.predict;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.segflow.InvalidInputException;
import org.segflow.dataset.DatasetJson;
import org.segflow.dataset.DatasetLabels;
import org.segflow.dataset.RawDataset;
import org.segflow.net.PlainConvUNet;
import org.segflow.net.UNetArchitecture;
import org.segflow.plan.Plans;
import org.segflow.plan.PlansConfiguration;
import org.segflow.postprocess.Postprocessing;
import org.segflow.preprocess.PreprocessingParameters;
import org.segflow.preprocess.Preprocessor;
import org.segflow.train.Checkpoint;
import org.segflow.train.FoldTrainer;

/**
 * A trained model ready for inference: the plans' preprocessing, one network per chosen fold (deep
 * supervision off, weights from the checkpoint) and the chosen postprocessing. The networks live in
 * one NDManager on one device; close the model to free them.
 */
public final class TrainedModel implements AutoCloseable {

  /** One fold's network and the mirror axes its checkpoint allows for test-time augmentation. */
  public record FoldNetwork(String fold, PlainConvUNet network, int[] mirrorAxes) {}

  private static final int[] DEFAULT_MIRROR_AXES = {0, 1};

  private final ModelFiles files;
  private final DatasetJson datasetJson;
  private final DatasetLabels labels;
  private final PlansConfiguration configuration;
  private final Preprocessor preprocessor;
  private final Postprocessing postprocessing;
  private final NDManager manager;
  private final Device device;
  private final List<FoldNetwork> folds;

  private TrainedModel(ModelFiles files, DatasetJson datasetJson, DatasetLabels labels,
      PlansConfiguration configuration, Preprocessor preprocessor, Postprocessing postprocessing,
      NDManager manager, Device device, List<FoldNetwork> folds) {
    this.files = files;
    this.datasetJson = datasetJson;
    this.labels = labels;
    this.configuration = configuration;
    this.preprocessor = preprocessor;
    this.postprocessing = postprocessing;
    this.manager = manager;
    this.device = device;
    this.folds = List.copyOf(folds);
  }

  /**
   * Loads plans, dataset.json and every checkpoint of {@code files}; a checkpoint that does not fit
   * the plans' network is named in the error.
   *
   * @param usePostprocessing apply the trainer folder's postprocessing.json when it exists
   */
  public static TrainedModel load(ModelFiles files, Device device, boolean usePostprocessing) {
    Plans plans = Plans.read(files.plansFile());
    PlansConfiguration config = plans.configuration(files.configuration());
    DatasetJson json = RawDataset.readJson(files.datasetJsonFile());
    DatasetLabels labels = DatasetLabels.of(json);
    if (labels.regionBased()) {
      throw new InvalidInputException(files.datasetJsonFile(), "region-based labels are not supported");
    }
    Map<String, String> channels = json.channels();
    if (channels == null || channels.size() != config.normalizationSchemes().size()) {
      throw new InvalidInputException(files.datasetJsonFile(), "channel_names " + channels + " do not match"
          + " the plans' " + config.normalizationSchemes().size() + " normalization scheme(s)");
    }
    Preprocessor preprocessor = new Preprocessor(PreprocessingParameters.for2d(config.normalizationSchemes(),
        config.useMaskForNorm(), plans.foregroundIntensityPropertiesPerChannel(), labels.foregroundLabels()));
    Postprocessing pp = usePostprocessing && Files.isRegularFile(files.postprocessingFile())
        ? Postprocessing.read(files.postprocessingFile()) : Postprocessing.NONE;
    UNetArchitecture arch = FoldTrainer.architecture(config.archKwargs(), channels.size(),
        labels.allLabels().size());
    NDManager manager = NDManager.newBaseManager(device);
    try {
      List<FoldNetwork> folds = new ArrayList<>();
      for (ModelFiles.FoldCheckpoint fc : files.checkpoints()) {
        PlainConvUNet network = new PlainConvUNet(arch);
        Checkpoint.State state = Checkpoint.readWeights(fc.file(), in -> {
          try {
            network.readParameters(manager, in);
          } catch (IOException | MalformedModelException | RuntimeException e) {
            throw new InvalidInputException(fc.file(), "checkpoint weights do not fit the network of "
                + files.plansFile() + " (" + e.getMessage() + ")", e);
          }
        });
        network.setDeepSupervision(false);
        int[] axes = state.mirrorAxes();
        folds.add(new FoldNetwork(fc.fold(), network, axes == null ? DEFAULT_MIRROR_AXES : axes.clone()));
      }
      // DJL decodes each parameter through a heap array and a direct buffer that only a collection
      // frees; a large heap sees none for a long time, so the process kept them (five DRIVE folds:
      // 1.5 GB live and 5.4 GB committed heap while loading, 96 MB after this; peak RSS 5.2 -> 4.0 GB)
      System.gc();
      return new TrainedModel(files, json, labels, config, preprocessor, pp, manager, device, folds);
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  public ModelFiles files() {
    return files;
  }

  public DatasetJson datasetJson() {
    return datasetJson;
  }

  /** dataset.json's channel_names: what the training images held. */
  public Map<String, String> channelNames() {
    return datasetJson.channels();
  }

  public String fileEnding() {
    return datasetJson.fileEnding();
  }

  /** The number of classes the networks output (background included). */
  public int numClasses() {
    return labels.allLabels().size();
  }

  public DatasetLabels labels() {
    return labels;
  }

  public PlansConfiguration configuration() {
    return configuration;
  }

  public int[] patchSize() {
    return configuration.patchSizeArray();
  }

  public Preprocessor preprocessor() {
    return preprocessor;
  }

  public Postprocessing postprocessing() {
    return postprocessing;
  }

  public NDManager manager() {
    return manager;
  }

  public Device device() {
    return device;
  }

  public List<FoldNetwork> folds() {
    return folds;
  }

  @Override
  public void close() {
    manager.close();
  }
}
