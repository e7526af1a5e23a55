package org.segflow.train.optim;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import java.util.Collection;
import org.segflow.net.NoGrad;

/**
 * torch.nn.utils.clip_grad_norm_ over all gradients together: the global L2 norm of every gradient
 * element; if it exceeds maxNorm, every gradient is scaled in place by maxNorm / (norm + 1e-6).
 * nnU-Net clips at 12.
 */
public final class GradientClipping {

  public static final float NNUNET_MAX_NORM = 12f;

  private GradientClipping() {}

  /**
   * Clips the gradients of {@code parameters} that require one and returns the total norm before
   * clipping. A non-finite norm leaves the gradients unchanged (torch would scale them by NaN):
   * check the returned value and skip the optimizer step then.
   */
  public static double clipGlobalNorm(Collection<Parameter> parameters, double maxNorm) {
    try (NoGrad noGrad = new NoGrad(); NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDList gradients = new NDList();
      NDList norms = new NDList();
      for (Parameter p : parameters) {
        NDArray g = Gradients.of(p);
        if (g != null) {
          NDScope.register(g);
          gradients.add(g);
          norms.add(g.norm());
        }
      }
      if (norms.isEmpty()) {
        return 0;
      }
      // One host read for all parameters (a sync per parameter would stall a GPU). The float64 sum
      // runs on the CPU: Metal (mps) has no float64; on the CPU toDevice is a no-op.
      double total = NDArrays.stack(norms).toDevice(Device.cpu(), false).toType(DataType.FLOAT64, false)
          .norm().getDouble();
      double coefficient = maxNorm / (total + 1e-6);
      if (Double.isFinite(total) && coefficient < 1) {
        for (NDArray g : gradients) {
          g.muli((float) coefficient);
        }
      }
      return total;
    }
  }
}
