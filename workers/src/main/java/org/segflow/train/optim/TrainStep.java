package org.segflow.train.optim;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.segflow.net.NoGrad;
import org.segflow.net.PlainConvUNet;
import org.segflow.net.Precision;
import org.segflow.train.loss.ClassCounts;
import org.segflow.train.loss.DeepSupervisionLoss;
import org.segflow.train.loss.PseudoDice;

/**
 * One nnU-Net train_step / validation_step on a batch: forward, deep-supervision loss, backward,
 * gradient clipping and the Nesterov update. Every intermediate lives in the images' manager, so
 * the caller runs each call inside its own sub-manager (try-with-resources) to free the
 * activations right after the step (otherwise memory grows by gigabytes).
 */
public final class TrainStep {

  /** The loss value, the gradient norm before clipping, and whether the update was applied. */
  public record Outcome(float loss, double gradientNorm, boolean applied) {}

  /** Validation loss of the batch and the pseudo-Dice counts of its highest-resolution output. */
  public record Evaluation(float loss, ClassCounts counts) {}

  private final PlainConvUNet network;
  private final DeepSupervisionLoss loss;
  private final NesterovSgd optimizer;
  private final double maxGradientNorm;
  private final Precision precision;
  private final LossScale lossScale;

  public TrainStep(PlainConvUNet network, DeepSupervisionLoss loss, NesterovSgd optimizer,
      double maxGradientNorm) {
    this(network, loss, optimizer, maxGradientNorm, Precision.FP32);
  }

  public TrainStep(PlainConvUNet network, DeepSupervisionLoss loss, NesterovSgd optimizer,
      double maxGradientNorm, Precision precision) {
    this(network, loss, optimizer, maxGradientNorm, precision,
        precision.scalesLoss() ? LossScale.torchDefaults() : null);
  }

  /** With a given loss scale (fp16-mixed only; tests start it where gradients overflow). */
  TrainStep(PlainConvUNet network, DeepSupervisionLoss loss, NesterovSgd optimizer,
      double maxGradientNorm, Precision precision, LossScale lossScale) {
    if (precision == Precision.AUTO) {
      throw new IllegalArgumentException("resolve Precision.AUTO for the device first");
    }
    this.network = network;
    this.loss = loss;
    this.optimizer = optimizer;
    this.maxGradientNorm = maxGradientNorm;
    this.precision = precision;
    this.lossScale = lossScale;
  }

  /** nnU-Net's 2D setup: DS loss over the network's outputs with batch Dice, clipping at 12. */
  public static TrainStep nnUNet(PlainConvUNet network, NesterovSgd optimizer) {
    return nnUNet(network, optimizer, Precision.FP32);
  }

  /** As above, computing in {@code precision} (fp32, bf16 or fp16-mixed). */
  public static TrainStep nnUNet(PlainConvUNet network, NesterovSgd optimizer, Precision precision) {
    return new TrainStep(network,
        new DeepSupervisionLoss(network.architecture().numOutputs(), true), optimizer,
        GradientClipping.NNUNET_MAX_NORM, precision);
  }

  public Precision precision() {
    return precision;
  }

  /** The current loss scale of fp16-mixed (1 for the other precisions). */
  public float lossScale() {
    return lossScale == null ? 1f : lossScale.scale();
  }

  /**
   * Trains on one batch.
   *
   * @param images (N, C, H, W) float32
   * @param targets one label map (N, H_i, W_i) per network output, highest resolution first
   * @param learningRate this epoch's learning rate
   * @return the outcome; with a non-finite gradient norm the update is skipped (gradients are
   *     still cleared) and {@code applied} is false
   */
  public Outcome run(NDArray images, NDList targets, double learningRate) {
    if (precision != Precision.FP32) {
      return runReduced(images, targets, learningRate);
    }
    float lossValue;
    // The scope closes every handle the pass made (helpers' results escape their own scopes), so
    // no handle keeps the spent graph, and with it the old gradients, alive past the backward.
    try (NDScope scope = new NDScope();
         GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      scope.suppressNotUsedWarning();
      NDList outputs = network.forward(images);
      NDArray value = loss.compute(outputs, targets);
      collector.backward(value);
      lossValue = value.getFloat();
      value.close();
      outputs.close();
    }
    double norm = GradientClipping.clipGlobalNorm(network.getParameters().values(),
        maxGradientNorm);
    if (!Double.isFinite(norm)) {
      optimizer.zeroGradients();
      return new Outcome(lossValue, norm, false);
    }
    optimizer.step(learningRate);
    return new Outcome(lossValue, norm, true);
  }

  /**
   * The bf16 / fp16-mixed step, in nnU-Net's order: scaled loss backward, gradients unscaled, clipped,
   * then the step unless a gradient is inf or NaN (the scale backs off then).
   */
  private Outcome runReduced(NDArray images, NDList targets, double learningRate) {
    float lossValue;
    float scale = lossScale();
    try (NDScope scope = new NDScope();
         GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      scope.suppressNotUsedWarning();
      NDList outputs = network.forward(images, precision.compute());
      NDArray value = loss.compute(outputs, targets);
      // The factor is an array that lives until backward is done (a bare number could be freed before).
      try (NDArray factor = images.getManager().full(new Shape(), scale, DataType.FLOAT32)) {
        NDArray scaled = value.mul(factor);
        collector.backward(scaled);
        scaled.close();
      }
      lossValue = value.getFloat();
      value.close();
      outputs.close();
    }
    if (scale != 1f) {
      GradientScaling.divide(network.getParameters().values(), scale);
    }
    double norm = GradientClipping.clipGlobalNorm(network.getParameters().values(), maxGradientNorm);
    boolean finite = Double.isFinite(norm);
    if (lossScale != null) {
      lossScale.update(finite);
    }
    if (!finite) {
      optimizer.zeroGradients();
      return new Outcome(lossValue, norm, false);
    }
    optimizer.step(learningRate);
    return new Outcome(lossValue, norm, true);
  }

  /** Validation on one batch: no gradients, same loss, counts from output 0 (nnU-Net's validation step). */
  public Evaluation evaluate(NDArray images, NDList targets) {
    try (NoGrad noGrad = new NoGrad()) {
      NDList outputs = network.forward(images, precision.compute());
      try (NDArray value = loss.compute(outputs, targets)) {
        ClassCounts counts = PseudoDice.counts(outputs.get(0), targets.get(0));
        return new Evaluation(value.getFloat(), counts);
      } finally {
        outputs.close();
      }
    }
  }
}
