package org.segflow.train.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.segflow.net.ArrayEncoder;
import org.segflow.net.NoGrad;

/**
 * torch.optim.SGD with nesterov=True and dampening 0, as nnU-Net configures it (momentum 0.99,
 * weight decay 3e-5 on every parameter). Per parameter w with gradient g:
 * g ← g + wd·w; v ← mu·v + g; w ← w − lr·(g + mu·v). Momentum buffers start at zero (torch's first
 * step sets v = g, the same thing). Weights and buffers are updated in place and the gradients are
 * dropped after the step, as nnU-Net's zero_grad(set_to_none=True) does: PyTorch accumulates
 * gradients across backward passes, and no gradient memory is held while the next forward pass
 * piles up its activations (the backward allocates them afresh).
 * DJL's own sgd has no Nesterov and its nag is not implemented on PyTorch.
 */
public final class NesterovSgd implements AutoCloseable {

  public static final float NNUNET_MOMENTUM = 0.99f;
  public static final float NNUNET_WEIGHT_DECAY = 3e-5f;

  private static final int STATE_MAGIC = 0x4e534744; // "NSGD"
  private static final int STATE_VERSION = 1;

  private final List<Parameter> parameters;
  private final float momentum;
  private final float weightDecay;
  private final NDManager manager;
  private final Map<String, NDArray> buffers = new LinkedHashMap<>();
  /** Parameter arrays made by {@link Gradients#release}: PyTorch owns their storage. */
  private final Set<NDArray> released = Collections.newSetFromMap(new IdentityHashMap<>());

  /**
   * @param parameters the trainable parameters (e.g. {@code net.getParameters().values()}), all
   *     initialized, with unique names
   */
  public NesterovSgd(Collection<Parameter> parameters, float momentum, float weightDecay) {
    if (parameters.isEmpty()) {
      throw new IllegalArgumentException("NesterovSgd needs at least one parameter");
    }
    if (!(momentum > 0) || momentum >= 1 || weightDecay < 0) {
      throw new IllegalArgumentException("NesterovSgd needs 0 < momentum < 1 and weight decay >= 0,"
          + " got " + momentum + ", " + weightDecay);
    }
    this.parameters = List.copyOf(parameters);
    this.momentum = momentum;
    this.weightDecay = weightDecay;
    Map<String, Parameter> byName = new LinkedHashMap<>();
    for (Parameter p : this.parameters) {
      if (byName.put(p.getName(), p) != null) {
        throw new IllegalArgumentException("two parameters are named " + p.getName());
      }
    }
    this.manager = this.parameters.get(0).getArray().getManager().newSubManager();
  }

  public static NesterovSgd nnUNet(Collection<Parameter> parameters) {
    return new NesterovSgd(parameters, NNUNET_MOMENTUM, NNUNET_WEIGHT_DECAY);
  }

  /** Applies one update with {@code learningRate} to every parameter that requires a gradient. */
  public void step(double learningRate) {
    float lr = (float) learningRate;
    try (NoGrad noGrad = new NoGrad()) {
      for (Parameter p : parameters) {
        NDArray g = Gradients.of(p); // shares storage with w's .grad, which is reused below
        if (g == null) {
          continue;
        }
        NDArray w = p.getArray();
        NDArray v = buffer(p);
        try (NDScope scope = new NDScope()) {
          scope.suppressNotUsedWarning();
          NDScope.register(g);
          if (weightDecay != 0) {
            g.addi(w.mul(weightDecay));
          }
          v.muli(momentum).addi(g);
          g.addi(v.mul(momentum)).muli(lr);
          w.subi(g);
        }
        dropGradient(p);
      }
    }
  }

  /** Drops the gradients without updating, e.g. when a step is skipped. */
  public void zeroGradients() {
    for (Parameter p : parameters) {
      try (NDArray g = Gradients.of(p)) {
        if (g != null) {
          dropGradient(p);
        }
      }
    }
  }

  /**
   * The momentum buffers by parameter name, in parameter order; only parameters that have been
   * stepped have one. The arrays belong to the optimizer: copy them to keep them past
   * {@link #close()}.
   */
  public Map<String, NDArray> momentumBuffers() {
    return Collections.unmodifiableMap(new LinkedHashMap<>(buffers));
  }

  /**
   * Sets momentum buffers by parameter name (copying the values), e.g. from a checkpoint. Every
   * name must be one of this optimizer's parameters with the same shape.
   */
  public void loadMomentumBuffers(Map<String, NDArray> values) {
    Map<String, Parameter> byName = new LinkedHashMap<>();
    for (Parameter p : parameters) {
      byName.put(p.getName(), p);
    }
    for (Map.Entry<String, NDArray> e : values.entrySet()) {
      Parameter p = byName.get(e.getKey());
      if (p == null) {
        throw new IllegalArgumentException("momentum buffer for unknown parameter " + e.getKey());
      }
      if (!e.getValue().getShape().equals(p.getArray().getShape())) {
        throw new IllegalArgumentException("momentum buffer for " + e.getKey() + " has shape "
            + e.getValue().getShape() + ", the parameter has " + p.getArray().getShape());
      }
    }
    for (Map.Entry<String, NDArray> e : values.entrySet()) {
      Parameter p = byName.get(e.getKey());
      // duplicate() is a real copy: a decoded array may wrap a direct buffer that dies with its
      // manager, and toDevice on the same device would only alias it (a segfault on the next step)
      NDArray copy = e.getValue().duplicate().toDevice(p.getArray().getDevice(), false);
      if (copy.getDataType() != p.getArray().getDataType()) {
        try (NDArray other = copy) {
          copy = other.toType(p.getArray().getDataType(), true);
        }
      }
      copy.attach(manager);
      NDArray old = buffers.put(e.getKey(), copy);
      if (old != null) {
        old.close();
      }
    }
  }

  /**
   * Writes the momentum buffers: magic, version, count, then per buffer the parameter name and the
   * array in DJL's NDArray encoding.
   */
  public void writeState(OutputStream out) throws IOException {
    DataOutputStream data = new DataOutputStream(out);
    data.writeInt(STATE_MAGIC);
    data.writeInt(STATE_VERSION);
    data.writeInt(buffers.size());
    // streamed from the buffers: encode() would copy each into the heap three times
    ArrayEncoder encoder = new ArrayEncoder();
    for (Map.Entry<String, NDArray> e : buffers.entrySet()) {
      data.writeUTF(e.getKey());
      encoder.write(e.getValue(), data);
    }
    data.flush();
  }

  /** Reads buffers written by {@link #writeState} and loads them; reads exactly those bytes. */
  public void readState(InputStream in) throws IOException {
    DataInputStream data = new DataInputStream(in);
    int magic = data.readInt();
    int version = data.readInt();
    if (magic != STATE_MAGIC || version != STATE_VERSION) {
      throw new IOException("not a NesterovSgd state (magic " + Integer.toHexString(magic)
          + ", version " + version + "; expected " + Integer.toHexString(STATE_MAGIC) + ", "
          + STATE_VERSION + ")");
    }
    int count = data.readInt();
    Map<String, NDArray> loaded = new LinkedHashMap<>();
    try (NDManager temporary = manager.newSubManager()) {
      for (int i = 0; i < count; i++) {
        String name = data.readUTF();
        loaded.put(name, temporary.decode(data));
      }
      loadMomentumBuffers(loaded);
    }
  }

  /** Frees the momentum buffers. The parameters are not touched. */
  @Override
  public void close() {
    buffers.clear();
    released.clear();
    manager.close();
  }

  /**
   * Drops p's gradient: a copy of the values the first time an array is met (it may wrap a Java
   * buffer), a new leaf on the same storage for the arrays this optimizer made itself.
   */
  private void dropGradient(Parameter p) {
    boolean ours = released.remove(p.getArray());
    released.add(Gradients.release(p, !ours));
  }

  private NDArray buffer(Parameter p) {
    NDArray v = buffers.get(p.getName());
    if (v == null) {
      NDArray w = p.getArray();
      v = manager.zeros(w.getShape(), w.getDataType(), w.getDevice());
      buffers.put(p.getName(), v);
    }
    return v;
  }
}
