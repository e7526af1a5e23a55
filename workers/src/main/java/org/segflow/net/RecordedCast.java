package org.segflow.net;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Dtype casts that autograd records. DJL's {@code toType} detaches its result (a backward through it
 * fails with "does not require grad"), so mixed precision casts with ops that do record: a cumulative
 * product over a new axis of length 1, whose dtype argument casts first and whose value is the input
 * itself; and, back to float32, a product with a float32 one (type promotion, exact).
 */
final class RecordedCast {

  private RecordedCast() {}

  static NDArray to(NDArray x, DataType type) {
    try (NDArray lifted = x.expandDims(0); NDArray cast = JniUtils.cumProd((PtNDArray) lifted, 0, type)) {
      return cast.squeeze(0);
    }
  }

  static NDArray toFloat32(NDArray x) {
    // a (1)-shaped array, not a scalar: scalars do not promote a float16 tensor to float32
    try (NDArray one = x.getManager().ones(new Shape(1), DataType.FLOAT32, x.getDevice())) {
      return x.mul(one);
    }
  }
}
