package org.segflow.net;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * nnU-Net's PlainConvUNet (dynamic_network_architectures) as a DJL block.
 *
 * <p>Encoder stage s: nConvPerStage[s] x [conv(k, stride on the first conv only, pad (k-1)/2, bias)
 * -> InstanceNorm(affine, eps 1e-5) -> LeakyReLU(0.01)]. Decoder stage d (bottom up): transposed
 * conv (kernel = stride of the stage below, bias) -> concat [up, skip] -> nConvPerStageDecoder[d]
 * convs -> 1x1 seg head. Outputs are logits, highest resolution first: one per decoder stage with
 * deep supervision, else only the full-resolution head.
 *
 * <p>Training memory: the first decoder conv is computed without materialising the concatenation
 * ({@link #concatConv}), and the norm and LeakyReLU run as one op whose activation works in place
 * ({@link NormActivation}); both give nnU-Net's numbers.
 *
 * <p>Parameters carry nnU-Net's state_dict names and torch layouts (the transposed conv weight is
 * (Cin, Cout, sy, sx)), in the order the network creates them. They are all trainable.
 */
public final class PlainConvUNet extends AbstractBlock {

  private static final byte VERSION = 1;
  private static final Shape UNIT = new Shape(1, 1);

  private final UNetArchitecture architecture;
  private final ConvLayer[][] encoder;
  private final Parameter[] upWeights;
  private final Parameter[] upBiases;
  private final ConvLayer[][] decoder;
  private final Parameter[] segWeights;
  private final Parameter[] segBiases;
  private final Map<String, Shape> expectedShapes = new LinkedHashMap<>();
  private final List<Parameter> heWeights = new ArrayList<>();
  private boolean deepSupervision;

  /** One conv -> norm -> nonlinearity unit. */
  private record ConvLayer(Parameter weight, Parameter bias, Parameter gamma, Parameter beta,
      Shape stride, Shape padding) {}

  public PlainConvUNet(UNetArchitecture architecture) {
    super(VERSION);
    this.architecture = architecture;
    this.deepSupervision = architecture.deepSupervision();
    int n = architecture.nStages();
    encoder = new ConvLayer[n][];
    int channels = architecture.inputChannels();
    for (int s = 0; s < n; s++) {
      int features = architecture.features(s);
      encoder[s] = new ConvLayer[architecture.convs(s)];
      for (int j = 0; j < encoder[s].length; j++) {
        int[] stride = j == 0 ? architecture.stride(s) : new int[] {1, 1};
        encoder[s][j] = convLayer("encoder.stages." + s + ".0.convs." + j, channels, features,
            architecture.kernel(s), stride);
        channels = features;
      }
    }
    upWeights = new Parameter[n - 1];
    upBiases = new Parameter[n - 1];
    decoder = new ConvLayer[n - 1][];
    segWeights = new Parameter[n - 1];
    segBiases = new Parameter[n - 1];
    for (int d = 0; d < n - 1; d++) {
      int below = n - 1 - d;
      int skip = below - 1;
      int[] stride = architecture.stride(below);
      int featuresBelow = architecture.features(below);
      int featuresSkip = architecture.features(skip);
      upWeights[d] = weight("decoder.transpconvs." + d + ".weight",
          new Shape(featuresBelow, featuresSkip, stride[0], stride[1]));
      upBiases[d] = vector("decoder.transpconvs." + d + ".bias", Parameter.Type.BIAS, featuresSkip);
      decoder[d] = new ConvLayer[architecture.decoderConvs(d)];
      channels = 2 * featuresSkip;
      for (int j = 0; j < decoder[d].length; j++) {
        decoder[d][j] = convLayer("decoder.stages." + d + ".convs." + j, channels, featuresSkip,
            architecture.kernel(skip), new int[] {1, 1});
        channels = featuresSkip;
      }
    }
    // Seg heads after all stages, as in nnU-Net's decoder (seg_layers is built after stages).
    for (int d = 0; d < n - 1; d++) {
      int featuresSkip = architecture.features(n - 2 - d);
      segWeights[d] = weight("decoder.seg_layers." + d + ".weight",
          new Shape(architecture.numClasses(), featuresSkip, 1, 1));
      segBiases[d] = vector("decoder.seg_layers." + d + ".bias", Parameter.Type.BIAS,
          architecture.numClasses());
    }
    assignSeed(0);
  }

  /** The architecture, with the deep supervision setting currently in effect. */
  public UNetArchitecture architecture() {
    return architecture.withDeepSupervision(deepSupervision);
  }

  /**
   * Switches between all decoder outputs (training, validation loss) and only the full-resolution
   * one (inference), like nnU-Net's {@code decoder.deep_supervision}. Parameters are unaffected.
   */
  public void setDeepSupervision(boolean enabled) {
    deepSupervision = enabled;
  }

  public boolean isDeepSupervision() {
    return deepSupervision;
  }

  /**
   * Creates all parameters in {@code manager}: He-normal conv weights (seeded, so a seed always
   * gives the same network), zero biases, norm gamma 1 and beta 0, all requiring gradients.
   */
  public void initialize(NDManager manager, long seed) {
    if (isInitialized()) {
      throw new IllegalStateException("PlainConvUNet is already initialized");
    }
    assignSeed(seed);
    initialize(manager, DataType.FLOAT32, smallestInputShape());
  }

  /** Total number of trainable values. */
  public long parameterCount() {
    long total = 0;
    for (Shape shape : expectedShapes.values()) {
      total += shape.size();
    }
    return total;
  }

  /**
   * Runs the network on {@code input} (N, inputChannels, H, W), H and W multiples of
   * {@link UNetArchitecture#requiredDivisor()}. Returns logits (N, numClasses, h, w), highest
   * resolution first, in the input's manager. Gradients are recorded when grad mode is on (inside a
   * GradientCollector, and on any thread but the engine's unless inside {@link NoGrad});
   * intermediates are closed as soon as they are used, so without a graph only the outputs stay in
   * memory.
   */
  public NDList forward(NDArray input) {
    if (!isInitialized()) {
      throw new IllegalStateException("PlainConvUNet parameters are not initialized or loaded");
    }
    return run(input, Parameter::getArray);
  }

  /**
   * As {@link #forward(NDArray)} with the arithmetic in {@code compute} (float16 or bfloat16): the input and each
   * float32 weight are cast for this pass in a way autograd records, so gradients reach the float32
   * weights as float32, and the outputs come back as float32 for the loss. The casts belong to the
   * input's manager and go with it. float32 is exactly {@link #forward(NDArray)}.
   */
  public NDList forward(NDArray input, DataType compute) {
    if (compute == DataType.FLOAT32) {
      return forward(input);
    }
    if (!isInitialized()) {
      throw new IllegalStateException("PlainConvUNet parameters are not initialized or loaded");
    }
    NDManager manager = input.getManager();
    NDList outputs = run(RecordedCast.to(input, compute), p -> {
      NDArray cast = RecordedCast.to(p.getArray(), compute);
      cast.attach(manager);
      return cast;
    });
    NDList full = new NDList(outputs.size());
    for (NDArray o : outputs) {
      full.add(RecordedCast.toFloat32(o));
      o.close();
    }
    return full;
  }

  @Override
  protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
      PairList<String, Object> params) {
    NDArray input = inputs.singletonOrThrow();
    return run(input, p -> parameterStore.getValue(p, input.getDevice(), training));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape in = inputShapes[0];
    checkInputShape(in);
    int[][] factors = architecture.deepSupervisionFactors();
    int outputs = deepSupervision ? factors.length : 1;
    Shape[] shapes = new Shape[outputs];
    for (int i = 0; i < outputs; i++) {
      shapes[i] = new Shape(in.get(0), architecture.numClasses(), in.get(2) / factors[i][0],
          in.get(3) / factors[i][1]);
    }
    return shapes;
  }

  /** Writes all parameters in DJL's .params encoding (exact float round trip). */
  public void writeParameters(OutputStream out) throws IOException {
    DataOutputStream data = new DataOutputStream(new BufferedOutputStream(out, 1 << 16));
    saveParameters(data);
    data.flush();
  }

  /**
   * DJL's saveParameters (the same bytes: version, metadata, then each parameter as Parameter.save
   * writes it), with the values streamed from the tensors ({@link ArrayEncoder}) instead of copied
   * into the heap. The network has no child blocks.
   */
  @Override
  public void saveParameters(DataOutputStream os) throws IOException {
    os.write(version);
    saveMetadata(os);
    ArrayEncoder encoder = new ArrayEncoder();
    for (Parameter p : getDirectParameters().values()) {
      if (!p.isInitialized()) {
        os.writeChar('N');
        continue;
      }
      os.writeChar('P');
      os.writeByte(1);
      os.writeUTF(p.getName());
      encoder.write(p.getArray(), os);
    }
  }

  /**
   * Replaces all parameters with ones written by {@link #writeParameters} for the same architecture
   * (deep supervision may differ), creating them in {@code manager} with gradients enabled. A stream
   * for another architecture, or one that is cut short or damaged, is rejected and leaves the
   * current parameters as they were.
   */
  public void readParameters(NDManager manager, InputStream in)
      throws IOException, MalformedModelException {
    // Unbuffered on purpose: reads exactly the parameter bytes, so they can sit inside a larger
    // stream (a checkpoint); callers buffer the underlying stream themselves.
    loadParameters(manager, new DataInputStream(in));
  }

  /**
   * Reads DJL's parameter encoding (as {@link Parameter#save} writes it) all or nothing: every
   * array is decoded and checked first, then copied into PyTorch's own memory (decode wraps a Java
   * direct buffer, which would count against the JVM's direct-memory limit and must outlive every
   * autograd use), and only then installed with gradients enabled.
   */
  @Override
  public void loadParameters(NDManager manager, DataInputStream is)
      throws IOException, MalformedModelException {
    byte loadVersion = is.readByte();
    loadMetadata(loadVersion, is);
    List<NDArray> loaded = new ArrayList<>(parameters.size());
    try {
      for (Parameter parameter : parameters.values()) {
        loaded.add(readParameter(manager, is, parameter.getName()));
      }
    } catch (IOException | MalformedModelException | RuntimeException e) {
      loaded.forEach(NDArray::close);
      throw e;
    }
    int i = 0;
    for (Parameter parameter : parameters.values()) {
      NDArray array = loaded.get(i++);
      Initializer initializer = parameter.getInitializer();
      parameter.close();
      // Parameter has no setter once its shape is known; initialize() takes the array instead.
      parameter.setInitializer((m, shape, dataType) -> array);
      parameter.initialize(manager, DataType.FLOAT32);
      parameter.setInitializer(initializer);
    }
  }

  private NDArray readParameter(NDManager manager, DataInputStream is, String name)
      throws IOException, MalformedModelException {
    char magic = is.readChar();
    if (magic != 'P') {
      throw new MalformedModelException("parameter " + name + " is missing from the stream");
    }
    byte version = is.readByte();
    if (version != 1) {
      throw new MalformedModelException("parameter " + name + " has encoding version " + version
          + ", expected 1");
    }
    String saved = is.readUTF();
    if (!saved.equals(name)) {
      throw new MalformedModelException("expected parameter " + name + ", found " + saved);
    }
    try (NDArray decoded = manager.decode(is)) {
      Shape expected = expectedShapes.get(name);
      if (!decoded.getShape().equals(expected) || decoded.getDataType() != DataType.FLOAT32) {
        throw new MalformedModelException("parameter " + name + " is " + decoded.getDataType()
            + " " + decoded.getShape() + ", expected float32 " + expected);
      }
      return decoded.duplicate();
    }
  }

  @Override
  protected void saveMetadata(DataOutputStream os) throws IOException {
    os.writeInt(architecture.inputChannels());
    os.writeInt(architecture.numClasses());
    os.writeInt(architecture.nStages());
    writeInts(os, architecture.featuresPerStage());
    for (int[] k : architecture.kernelSizes()) {
      writeInts(os, k);
    }
    for (int[] s : architecture.strides()) {
      writeInts(os, s);
    }
    writeInts(os, architecture.nConvPerStage());
    writeInts(os, architecture.nConvPerStageDecoder());
  }

  @Override
  protected void loadMetadata(byte loadVersion, DataInputStream is)
      throws IOException, MalformedModelException {
    if (loadVersion != VERSION) {
      throw new MalformedModelException("PlainConvUNet parameters have format version "
          + loadVersion + ", expected " + VERSION);
    }
    int inputChannels = is.readInt();
    int numClasses = is.readInt();
    int nStages = is.readInt();
    if (nStages < 2 || nStages > 64) {
      throw new MalformedModelException("PlainConvUNet parameters declare " + nStages
          + " stages: not a parameter stream written by writeParameters");
    }
    int[] features = readInts(is, nStages);
    int[][] kernels = new int[nStages][];
    for (int s = 0; s < nStages; s++) {
      kernels[s] = readInts(is, 2);
    }
    int[][] strides = new int[nStages][];
    for (int s = 0; s < nStages; s++) {
      strides[s] = readInts(is, 2);
    }
    int[] convs = readInts(is, nStages);
    int[] decoderConvs = readInts(is, nStages - 1);
    UNetArchitecture saved;
    try {
      saved = new UNetArchitecture(inputChannels, numClasses, nStages, features, kernels, strides,
          convs, decoderConvs, deepSupervision);
    } catch (IllegalArgumentException e) {
      throw new MalformedModelException("PlainConvUNet parameters describe an invalid network: "
          + e.getMessage(), e);
    }
    if (!saved.sameParametersAs(architecture)) {
      throw new MalformedModelException("parameters were saved for " + saved
          + " but this network is " + architecture());
    }
    if (inputShapes == null) {
      inputShapes = new Shape[] {smallestInputShape()};
    }
  }

  // ---------------------------------------------------------------------------------------------

  private NDList run(NDArray input, Function<Parameter, NDArray> value) {
    checkInputShape(input.getShape());
    int n = architecture.nStages();
    NDArray[] skips = new NDArray[n];
    NDArray x = input;
    for (int s = 0; s < n; s++) {
      x = convStack(encoder[s], 0, x, value, false);
      skips[s] = x;
    }
    List<NDArray> outputs = new ArrayList<>();
    NDArray lower = skips[n - 1];
    for (int d = 0; d < n - 1; d++) {
      NDArray skip = skips[n - 2 - d];
      NDArray first;
      try (NDArray up = PixelShuffleUpsampling.apply(lower, value.apply(upWeights[d]),
          value.apply(upBiases[d]))) {
        lower.close();
        // The first conv of the stage reads [up, skip] without their concatenation being made.
        first = convNormAct(decoder[d][0], up, skip, value);
      }
      skip.close();
      lower = convStack(decoder[d], 1, first, value, true);
      if (deepSupervision || d == n - 2) {
        outputs.add(Conv2d.conv2d(lower, value.apply(segWeights[d]), value.apply(segBiases[d]),
            UNIT, new Shape(0, 0), UNIT, 1).singletonOrThrow());
      }
    }
    lower.close();
    Collections.reverse(outputs);
    return new NDList(outputs);
  }

  /**
   * Runs layers[from..] in order; closes every intermediate, and x itself when {@code ownsInput}.
   */
  private static NDArray convStack(ConvLayer[] layers, int from, NDArray x,
      Function<Parameter, NDArray> value, boolean ownsInput) {
    NDArray current = x;
    boolean owned = ownsInput;
    for (int i = from; i < layers.length; i++) {
      NDArray next = convNormAct(layers[i], current, null, value);
      if (owned) {
        current.close();
      }
      current = next;
      owned = true;
    }
    return current;
  }

  /** conv -> norm -> LeakyReLU of x, or with a {@code skip} of the concatenation [x, skip]. */
  private static NDArray convNormAct(ConvLayer layer, NDArray x, NDArray skip,
      Function<Parameter, NDArray> value) {
    NDArray result;
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDArray weight = value.apply(layer.weight());
      NDArray bias = value.apply(layer.bias());
      NDArray conv = skip == null
          ? Conv2d.conv2d(x, weight, bias, layer.stride(), layer.padding(), UNIT, 1)
              .singletonOrThrow()
          : concatConv(x, skip, weight, bias, layer.stride(), layer.padding());
      result = NormActivation.apply(conv, value.apply(layer.gamma()), value.apply(layer.beta()));
      conv.close();
      NDScope.unregister(result);
    }
    return result;
  }

  /**
   * conv(concat([a, b], channel axis), weight, bias) without the concatenation: conv(a, W[:, :Ca],
   * bias) + conv(b, W[:, Ca:]), the same sum split in two (equal up to float32 rounding). Autograd
   * keeps a and b for the weight gradient instead of a copy of both with 2C channels; b (a skip)
   * is kept by the encoder's next conv anyway. The result belongs to a's manager.
   */
  static NDArray concatConv(NDArray a, NDArray b, NDArray weight, NDArray bias, Shape stride,
      Shape padding) {
    NDArray result;
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      long ca = a.getShape().get(1);
      NDArray wa = weight.get(new NDIndex(":, :{}", ca));
      NDArray wb = weight.get(new NDIndex(":, {}:", ca));
      result = Conv2d.conv2d(a, wa, bias, stride, padding, UNIT, 1).singletonOrThrow();
      // In place, so no third full-size tensor: a convolution's backward does not need its output.
      result.addi(Conv2d.conv2d(b, wb, null, stride, padding, UNIT, 1).singletonOrThrow());
      NDScope.unregister(result);
    }
    return result;
  }

  private void checkInputShape(Shape shape) {
    int[] divisor = architecture.requiredDivisor();
    if (shape.dimension() != 4 || shape.get(1) != architecture.inputChannels()
        || shape.get(2) % divisor[0] != 0 || shape.get(3) % divisor[1] != 0
        || shape.get(2) == 0 || shape.get(3) == 0) {
      throw new IllegalArgumentException("PlainConvUNet input must be (N, "
          + architecture.inputChannels() + ", H, W) with H a multiple of " + divisor[0]
          + " and W a multiple of " + divisor[1] + ", got " + shape);
    }
    if (shape.get(2) / divisor[0] * (shape.get(3) / divisor[1]) < 2) {
      // InstanceNorm needs more than one value per channel (torch refuses too).
      throw new IllegalArgumentException("PlainConvUNet input " + shape + " leaves a single "
          + "pixel at the bottleneck; instance norm needs at least 2 (use at least "
          + divisor[0] + "x" + 2 * divisor[1] + ")");
    }
  }

  private Shape smallestInputShape() {
    int[] divisor = architecture.requiredDivisor();
    return new Shape(1, architecture.inputChannels(), 2L * divisor[0], 2L * divisor[1]);
  }

  private ConvLayer convLayer(String prefix, int in, int out, int[] kernel, int[] stride) {
    Parameter w = weight(prefix + ".conv.weight", new Shape(out, in, kernel[0], kernel[1]));
    Parameter b = vector(prefix + ".conv.bias", Parameter.Type.BIAS, out);
    Parameter gamma = vector(prefix + ".norm.weight", Parameter.Type.GAMMA, out);
    Parameter beta = vector(prefix + ".norm.bias", Parameter.Type.BETA, out);
    return new ConvLayer(w, b, gamma, beta, new Shape(stride[0], stride[1]),
        new Shape((kernel[0] - 1) / 2, (kernel[1] - 1) / 2));
  }

  private Parameter weight(String name, Shape shape) {
    Parameter p = addParameter(Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT)
        .optShape(shape).build());
    expectedShapes.put(name, shape);
    heWeights.add(p);
    return p;
  }

  private Parameter vector(String name, Parameter.Type type, int length) {
    Shape shape = new Shape(length);
    Initializer init = type == Parameter.Type.GAMMA ? Initializer.ONES : Initializer.ZEROS;
    Parameter p = addParameter(Parameter.builder().setName(name).setType(type).optShape(shape)
        .optInitializer(init).build());
    expectedShapes.put(name, shape);
    return p;
  }

  /** Gives every conv weight its own seed, derived from {@code seed} in parameter order. */
  private void assignSeed(long seed) {
    SplittableRandom seeds = new SplittableRandom(seed);
    for (Parameter p : heWeights) {
      p.setInitializer(new HeNormalInitializer(seeds.nextLong(),
          HeNormalInitializer.NEGATIVE_SLOPE));
    }
  }

  private static void writeInts(DataOutputStream os, int[] values) throws IOException {
    for (int v : values) {
      os.writeInt(v);
    }
  }

  private static int[] readInts(DataInputStream is, int count) throws IOException {
    int[] values = new int[count];
    for (int i = 0; i < count; i++) {
      values[i] = is.readInt();
    }
    return values;
  }
}
