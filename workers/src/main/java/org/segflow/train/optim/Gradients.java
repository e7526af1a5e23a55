package org.segflow.train.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.initializer.Initializer;
import org.segflow.net.NoGrad;

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

  /**
   * Drops p's gradient, as torch's zero_grad(set_to_none=True) does: the next backward allocates a
   * fresh one, so none is held between steps (when the activations peak). DJL cannot set .grad to
   * None, so p gets a new leaf tensor on its values that requires a gradient and has none, and the
   * old tensor goes with its gradient. With {@code copy} the new leaf gets its own storage (needed
   * once: an array made from Java data wraps a buffer that dies with the old array); else it shares
   * the old one's (no allocation, so the allocator's free blocks keep their shape from step to
   * step). Returns p's new array.
   */
  static NDArray release(Parameter p, boolean copy) {
    NDArray old = p.getArray();
    NDArray fresh;
    try (NoGrad noGrad = new NoGrad()) {
      fresh = copy ? old.duplicate() : old.stopGradient();
    }
    p.close();
    if (p.getShape() == null) {
      // Built from an array (no shape declared): setArray is allowed, once.
      p.setArray(fresh);
      fresh.setRequiresGradient(true);
      return fresh;
    }
    // Parameter has no setter once its shape is known; initialize() takes the array instead.
    Initializer initializer = p.getInitializer();
    p.setInitializer((manager, shape, dataType) -> fresh);
    try {
      p.initialize(fresh.getManager(), fresh.getDataType());
    } finally {
      p.setInitializer(initializer);
    }
    return fresh;
  }
}
