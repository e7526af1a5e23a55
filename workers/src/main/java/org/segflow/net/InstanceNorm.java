package org.segflow.net;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.BatchNorm;

/**
 * Affine instance normalisation (torch.nn.InstanceNorm2d with affine=True, no running stats), built
 * on the native batch norm the way PyTorch builds it: fold (N, C, H, W) into (1, N·C, H, W), so
 * every image-channel pair is its own batch-norm channel, normalise with batch statistics and
 * gamma/beta repeated N times, unfold. DJL's PyTorch engine has no instance norm; a hand-written
 * mean/var version is 7x slower and keeps ~8 full-size temporaries per layer.
 * Batch statistics are used in training and inference alike, as nnU-Net's InstanceNorm2d does.
 */
public final class InstanceNorm {

  /** nnU-Net's InstanceNorm2d epsilon. */
  public static final float EPS = 1e-5f;

  private InstanceNorm() {}

  /**
   * Normalises each (image, channel) plane of {@code x} (N, C, H, W) to zero mean and unit biased
   * variance, then scales by {@code gamma} (C) and shifts by {@code beta} (C). The result belongs to
   * x's manager.
   */
  public static NDArray apply(NDArray x, NDArray gamma, NDArray beta, float eps) {
    Shape shape = x.getShape();
    if (shape.dimension() != 4) {
      throw new IllegalArgumentException("instance norm expects (N, C, H, W), got " + shape);
    }
    long n = shape.get(0);
    long c = shape.get(1);
    if (gamma.getShape().size() != c || beta.getShape().size() != c) {
      throw new IllegalArgumentException("instance norm over " + c + " channels got gamma "
          + gamma.getShape() + " and beta " + beta.getShape());
    }
    NDManager manager = x.getManager();
    NDArray result;
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDArray folded = x.reshape(1, n * c, shape.get(2), shape.get(3));
      NDArray tiledGamma = tile(gamma, n, manager);
      NDArray tiledBeta = tile(beta, n, manager);
      // The running statistics are required by the native call and discarded.
      NDArray runningMean = manager.zeros(new Shape(n * c), x.getDataType(), x.getDevice());
      NDArray runningVar = manager.ones(new Shape(n * c), x.getDataType(), x.getDevice());
      // axis -1 selects PyTorch's own channel axis (1) without DJL's swapAxes detour.
      NDArray normalized = BatchNorm.batchNorm(folded, runningMean, runningVar, tiledGamma,
          tiledBeta, -1, 0.9f, eps, true).singletonOrThrow();
      result = normalized.reshape(shape);
      NDScope.unregister(result);
    }
    return result;
  }

  /** gamma repeated n times along its only axis; a copy owned by {@code manager} when n > 1. */
  private static NDArray tile(NDArray vector, long n, NDManager manager) {
    if (n == 1) {
      return vector;
    }
    NDList copies = new NDList();
    for (long i = 0; i < n; i++) {
      copies.add(vector);
    }
    NDArray tiled = NDArrays.concat(copies, 0);
    // Results of ops on parameters belong to the parameters' manager: move it to the caller's.
    tiled.attach(manager);
    return tiled;
  }
}
