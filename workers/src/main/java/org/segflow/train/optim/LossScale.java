package org.segflow.train.optim;

/**
 * torch.amp.GradScaler's dynamic loss scale, the bookkeeping only: the loss is multiplied by
 * {@link #scale()} before backward so that small float16 gradients do not flush to zero; the
 * gradients are divided by it again before clipping. A step whose gradients hold inf or NaN is
 * skipped and the scale halved; after {@code growthInterval} good steps in a row it doubles.
 * Defaults are torch's (2^16, x2, x0.5, 2000).
 */
public final class LossScale {

  public static final float TORCH_INITIAL = 65536f;
  public static final int TORCH_GROWTH_INTERVAL = 2000;

  private final float growthFactor;
  private final float backoffFactor;
  private final int growthInterval;
  private float scale;
  private int goodSteps;

  public LossScale(float initial, float growthFactor, float backoffFactor, int growthInterval) {
    if (!(initial > 0) || !(growthFactor > 1) || !(backoffFactor > 0 && backoffFactor < 1) || growthInterval < 1) {
      throw new IllegalArgumentException("loss scale needs initial > 0, growth > 1, 0 < backoff < 1, interval >= 1");
    }
    this.scale = initial;
    this.growthFactor = growthFactor;
    this.backoffFactor = backoffFactor;
    this.growthInterval = growthInterval;
  }

  public static LossScale torchDefaults() {
    return new LossScale(TORCH_INITIAL, 2f, 0.5f, TORCH_GROWTH_INTERVAL);
  }

  /** The factor the loss is multiplied by in this step. */
  public float scale() {
    return scale;
  }

  /** Good steps since the last change of scale. */
  public int goodSteps() {
    return goodSteps;
  }

  /**
   * After a step: {@code finite} tells whether all unscaled gradients were finite (the step was
   * applied). Returns whether the optimizer step should have been taken.
   */
  public boolean update(boolean finite) {
    if (!finite) {
      scale *= backoffFactor;
      goodSteps = 0;
      return false;
    }
    goodSteps++;
    if (goodSteps == growthInterval) {
      float grown = scale * growthFactor;
      // torch keeps the old scale when growing would overflow float32
      if (Float.isFinite(grown)) {
        scale = grown;
      }
      goodSteps = 0;
    }
    return true;
  }
}
