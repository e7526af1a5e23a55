package org.segflow.train.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Access to a parameter's .grad that, unlike DJL's getGradient(), tells "no gradient yet" (null)
 * apart from a zero gradient: torch.optim skips parameters whose grad is None, e.g. the unused
 * seg heads when deep supervision is off.
 */
final class Gradients {

  private Gradients() {}

  /** A new handle on p's gradient (sharing its storage; close it), or null if there is none. */
  static NDArray of(Parameter p) {
    if (!p.requiresGradient() || !p.isInitialized()) {
      return null;
    }
    PtNDArray array = (PtNDArray) p.getArray();
    if (!array.hasGradient()) {
      return null;
    }
    return JniUtils.getGradient(array);
  }

  static void zero(Parameter p) {
    JniUtils.zeroGrad((PtNDArray) p.getArray());
  }
}
