package org.segflow.infer;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.segflow.net.Engines;
import org.segflow.net.NoGrad;
import org.segflow.net.PlainConvUNet;
import org.segflow.net.Precision;

/**
 * The DJL network behind the sliding window: tiles in, full-resolution logits out. The network must
 * have deep supervision off. Each call runs in its own sub-manager so tiles never pile up in memory,
 * and without autograd recording (a 640x640 tile of an 8-stage network peaks at 1.7 instead of 2.4 GB
 * on a thread where PyTorch's grad mode is on, as on every activity thread).
 */
public final class NetworkTileLogits implements TileLogits {

  private final PlainConvUNet network;
  private final NDManager manager;
  private final Device device;
  private final Precision precision;

  /** Computing in the precision {@link Engines#inferencePrecision} gives for the network on {@code device}. */
  public NetworkTileLogits(PlainConvUNet network, NDManager manager, Device device) {
    this(network, manager, device, Engines.inferencePrecision(device, network.architecture()));
  }

  public NetworkTileLogits(PlainConvUNet network, NDManager manager, Device device, Precision precision) {
    if (network.isDeepSupervision()) {
      throw new IllegalArgumentException("inference needs the network with deep supervision off");
    }
    this.network = network;
    this.manager = manager;
    this.device = device;
    this.precision = precision;
  }

  public Precision precision() {
    return precision;
  }

  @Override
  public float[] logits(float[] tiles, int n, int channels, int height, int width) {
    try (NoGrad noGrad = new NoGrad(); NDManager call = manager.newSubManager(device)) {
      NDArray input = call.create(tiles, new Shape(n, channels, height, width));
      NDList out = network.forward(input, precision.compute());
      return out.get(0).toFloatArray();
    }
  }
}
