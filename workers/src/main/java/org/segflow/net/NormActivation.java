package org.segflow.net;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * The norm and nonlinearity after each convolution, exactly nnU-Net's InstanceNorm2d(eps 1e-5,
 * affine) followed by LeakyReLU(0.01, inplace=True), in one TorchScript call.
 *
 * <p>Instance norm is computed the way torch does it: fold (N, C, H, W) into (1, N·C, H, W) so each
 * image-channel plane is a batch-norm channel, normalise with batch statistics (in training and
 * inference alike, no running statistics) and gamma/beta repeated N times. The LeakyReLU then
 * overwrites the norm's output in place, so autograd keeps only that output for its backward, the
 * tensor the next convolution keeps anyway: no extra tensor per layer, and one pass each way.
 * DJL has no in-place activation (its leaky_relu keeps its input, a full-size tensor per layer, and
 * a where-based version that keeps a byte mask costs four times the passes); a TorchScript method
 * reaches torch's own leaky_relu_.
 */
public final class NormActivation {

  /** nnU-Net's InstanceNorm2d epsilon. */
  public static final double EPS = 1e-5;

  /** nnU-Net's LeakyReLU negative slope (torch default). */
  public static final double NEGATIVE_SLOPE = 0.01;

  private static final String SOURCE = """
      def forward(self: __torch__.NormActivation,
        x: Tensor,
        gamma: Tensor,
        beta: Tensor) -> Tensor:
        n = torch.size(x, 0)
        c = torch.size(x, 1)
        h = torch.size(x, 2)
        w = torch.size(x, 3)
        folded = torch.reshape(x, [1, torch.mul(n, c), h, w])
        y = torch.batch_norm(folded, torch.repeat(gamma, [n]), torch.repeat(beta, [n]), None, None, True, 0., %s, False)
        y0 = torch.leaky_relu_(y, %s)
        return torch.view(y0, [n, c, h, w])
      """.formatted(EPS, NEGATIVE_SLOPE);

  private static final ScriptedOp OP = new ScriptedOp("NormActivation", SOURCE);

  private NormActivation() {}

  /**
   * LeakyReLU(InstanceNorm(x)·gamma + beta) of {@code x} (N, C, H, W) with {@code gamma} and
   * {@code beta} of C values; recorded by autograd when grad mode is on. The result belongs to x's
   * manager.
   */
  public static NDArray apply(NDArray x, NDArray gamma, NDArray beta) {
    Shape shape = x.getShape();
    if (shape.dimension() != 4) {
      throw new IllegalArgumentException("instance norm expects (N, C, H, W), got " + shape);
    }
    long c = shape.get(1);
    if (gamma.getShape().size() != c || beta.getShape().size() != c) {
      throw new IllegalArgumentException("instance norm over " + c + " channels got gamma "
          + gamma.getShape() + " and beta " + beta.getShape());
    }
    return OP.apply(x, gamma, beta);
  }
}
