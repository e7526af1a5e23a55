package org.segflow.net;

import ai.djl.pytorch.jni.JniUtils;

/**
 * torch.no_grad() for a block: no autograd recording, so a forward pass frees each activation as soon
 * as the next layer has read it, and in-place updates of leaf tensors that require gradients are
 * legal (as in torch.optim). PyTorch's grad mode is per thread and on by default; DJL turns it off
 * only on the thread that loads the engine, so every other thread (a Temporal activity, a pool)
 * records a graph for each forward pass unless it says otherwise.
 */
public final class NoGrad implements AutoCloseable {

  private final boolean previous;

  public NoGrad() {
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
