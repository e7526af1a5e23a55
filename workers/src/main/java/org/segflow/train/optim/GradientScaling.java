package org.segflow.train.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import java.util.Collection;
import org.segflow.net.NoGrad;

/** Undoes the loss scale on the gradients in place (torch's GradScaler.unscale_). */
final class GradientScaling {

  private GradientScaling() {}

  /** Divides every gradient by {@code scale}; an inf or NaN stays one, for the step check to see. */
  static void divide(Collection<Parameter> parameters, float scale) {
    try (NoGrad noGrad = new NoGrad()) {
      for (Parameter p : parameters) {
        NDArray g = Gradients.of(p);
        if (g != null) {
          // multiplying by the float reciprocal, as torch does (one rounding either way)
          g.muli(1f / scale);
          g.close();
        }
      }
    }
  }
}
