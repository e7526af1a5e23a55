package org.segflow.train.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Scalar constants for differentiable code. DJL's Number-argument ops (mul(2f), maximum(1e-8f),
 * div(n), ...) wrap the number in a tensor over a Java direct buffer and close it right after the
 * call; autograd keeps that tensor for the backward pass (mul, div, maximum save their operands),
 * which then reads memory the garbage collector may already have freed: sporadic 1e14 or Inf
 * gradients. A tensor from {@code full} lives in PyTorch's own memory and stays valid for as long
 * as autograd holds it, whatever happens to the Java handle.
 */
final class Constants {

  private Constants() {}

  /** A 0-d tensor holding {@code value}, same dtype and device as {@code like}, in its manager. */
  static NDArray scalar(NDArray like, float value) {
    NDManager manager = like.getManager();
    return manager.full(new Shape(), value, like.getDataType());
  }
}
