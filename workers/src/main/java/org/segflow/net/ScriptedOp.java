package org.segflow.net;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A TorchScript method run on DJL arrays: the ops DJL does not expose (in-place activations, casts
 * to bfloat16) in one call, recorded by autograd like any op when grad mode is on. Compiled once,
 * when made; the module holds no tensors, so one instance serves every device and thread.
 */
final class ScriptedOp {

  private final PtSymbolBlock module;

  /**
   * Compiles {@code forward}, the source of {@code def forward(self: __torch__.<className>, ...)}
   * starting at column 0 (see {@link TorchScriptArchive#of}), taking and returning tensors.
   */
  ScriptedOp(String className, String forward) {
    // The manager only owns the module's handle, for the process's lifetime.
    PtNDManager manager = (PtNDManager) NDManager.newBaseManager("PyTorch");
    byte[] archive = TorchScriptArchive.of(className, forward);
    try {
      module = JniUtils.loadModule(manager, new ByteArrayInputStream(archive), false, false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The method's result for {@code inputs}, in the first input's manager. */
  NDArray apply(NDArray... inputs) {
    // The graph executor's optimising passes (a per-thread switch) would specialise and fuse per
    // shape; the plain interpreter runs the ops as written, and autograd records them as eager.
    JniUtils.setGraphExecutorOptimize(false);
    // DJL hands arrays with dotted names (parameters) to TorchScript as a dict; views have none.
    List<NDArray> views = new ArrayList<>();
    NDList arguments = new NDList(inputs.length);
    for (NDArray input : inputs) {
      if (input.getName() == null) {
        arguments.add(input);
      } else {
        NDArray view = input.reshape(input.getShape());
        views.add(view);
        arguments.add(view);
      }
    }
    try {
      return IValueUtils.forward(module, arguments, JniUtils.isGradMode()).singletonOrThrow();
    } finally {
      views.forEach(NDArray::close);
    }
  }
}
