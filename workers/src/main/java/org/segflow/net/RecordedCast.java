package org.segflow.net;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Dtype casts that autograd records. DJL's {@code toType} detaches its result (a backward through it
 * fails with "does not require grad"), so mixed precision casts with ops that do record: to float16 a
 * cumulative product over a new axis of length 1, whose dtype argument casts first and whose value
 * is the input itself; back to float32 a product with a float32 one (type promotion, exact). DJL's
 * PyTorch engine does not know bfloat16 at all (its cast aborts the process and it names the type
 * "unknown"), so bfloat16 casts both ways are TorchScript's {@code torch.to}; torch itself handles
 * such arrays like any other.
 */
public final class RecordedCast {

  private static final ScriptedOp TO_BFLOAT16 = new ScriptedOp("ToBFloat16", """
      def forward(self: __torch__.ToBFloat16,
        x: Tensor) -> Tensor:
        return torch.to(x, 15)
      """);

  private static final ScriptedOp TO_FLOAT32 = new ScriptedOp("ToFloat32", """
      def forward(self: __torch__.ToFloat32,
        x: Tensor) -> Tensor:
        return torch.to(x, 6)
      """);

  private RecordedCast() {}

  /** x in {@code type} (float16 or bfloat16), in x's manager. */
  public static NDArray to(NDArray x, DataType type) {
    if (type == DataType.BFLOAT16) {
      return TO_BFLOAT16.apply(x);
    }
    try (NDArray lifted = x.expandDims(0); NDArray cast = JniUtils.cumProd((PtNDArray) lifted, 0, type)) {
      return cast.squeeze(0);
    }
  }

  /** A float16 or bfloat16 x in float32, in x's manager. */
  public static NDArray toFloat32(NDArray x) {
    if (x.getDataType() != DataType.FLOAT16) {
      return TO_FLOAT32.apply(x);
    }
    // a (1)-shaped array, not a scalar: scalars do not promote a float16 tensor to float32
    try (NDArray one = x.getManager().ones(new Shape(1), DataType.FLOAT32, x.getDevice())) {
      return x.mul(one);
    }
  }
}
