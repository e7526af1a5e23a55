package org.segflow.infer;

/**
 * The network as the sliding window sees it: a batch of image tiles in, logits out. Implementations
 * (the DJL network adapter) need not be thread-safe; the predictor calls them from one thread.
 */
@FunctionalInterface
public interface TileLogits {

  /**
   * @param tiles {@code n} tiles of shape (channels, height, width), tile-major then channel-major:
   *     {@code tiles[((t * channels + c) * height + y) * width + x]}
   * @return logits of shape (n, numClasses, height, width) in the same layout; the number of classes
   *     is implied by the length and must be the same on every call
   */
  float[] logits(float[] tiles, int n, int channels, int height, int width);
}
