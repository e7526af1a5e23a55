package org.segflow.net;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.SparseFormat;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Writes an array in DJL's encoding ({@code NDArray.encode()}, NDSerializer version 3: the same bytes)
 * straight from the tensor's memory through one small buffer. {@code encode()} copies the values into
 * the Java heap three times (the tensor's bytes, a growing ByteArrayOutputStream, its toByteArray), so
 * a checkpoint of a 46M-parameter network put ~0.7 GB of garbage on the heap at once, and the JVM
 * kept those pages resident on top of the native memory the training's allocator keeps.
 *
 * <p>The values are read through a view of the tensor's storage, which needs a contiguous tensor (a
 * non-contiguous one would get a contiguous copy from DJL, left in its manager): parameters and
 * optimizer buffers are. Arrays off the CPU are copied to it first, and that copy is closed.
 */
public final class ArrayEncoder {

  private static final String MAGIC = "NDAR";
  private static final int VERSION = 3;

  private final byte[] chunk;

  /** An encoder that copies through a buffer of {@code chunkBytes}. */
  public ArrayEncoder(int chunkBytes) {
    this.chunk = new byte[chunkBytes];
  }

  /** An encoder with a 64 KiB buffer. */
  public ArrayEncoder() {
    this(1 << 16);
  }

  /** Writes {@code array} as {@code out.write(array.encode())} would. */
  public void write(NDArray array, DataOutputStream out) throws IOException {
    if (array.getDataType() == DataType.STRING || array.getSparseFormat() != SparseFormat.DENSE) {
      out.write(array.encode());
      return;
    }
    if (!array.getDevice().equals(Device.cpu())) {
      try (NDArray host = array.toDevice(Device.cpu(), true)) {
        host.setName(array.getName());
        write(host, out);
      }
      return;
    }
    out.writeUTF(MAGIC);
    out.writeInt(VERSION);
    String name = array.getName();
    if (name == null) {
      out.write(0);
    } else {
      out.write(1);
      out.writeUTF(name);
    }
    out.writeUTF(array.getSparseFormat().name());
    out.writeUTF(array.getDataType().name());
    out.write(array.getShape().getEncoded());
    ByteBuffer values = array.toByteBuffer(true);
    out.write(values.order() == ByteOrder.BIG_ENDIAN ? '>' : '<');
    out.writeInt(values.remaining());
    while (values.hasRemaining()) {
      int n = Math.min(chunk.length, values.remaining());
      values.get(chunk, 0, n);
      out.write(chunk, 0, n);
    }
  }
}
