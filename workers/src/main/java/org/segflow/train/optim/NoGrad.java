package org.segflow.train.optim;

import ai.djl.pytorch.jni.JniUtils;

/**
 * torch.no_grad() for a block of parameter updates: in-place changes to leaf tensors that require
 * gradients are only legal outside autograd recording, as in torch.optim.
 */
final class NoGrad implements AutoCloseable {

  private final boolean previous;

  NoGrad() {
    previous = JniUtils.isGradMode();
    if (previous) {
      JniUtils.setGradMode(false);
    }
  }

  @Override
  public void close() {
    if (previous) {
      JniUtils.setGradMode(true);
    }
  }
}
