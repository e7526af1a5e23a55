package org.segflow.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The streamed encoding is DJL's encode(), byte for byte, and so is the network's saveParameters. */
class ArrayEncoderTest {

  @Test
  void writesTheBytesOfEncode() throws IOException {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray named = manager.randomNormal(new Shape(3, 5, 7));
      named.setName("w");
      NDArray[] arrays = {
          named,
          manager.randomNormal(new Shape(2, 40_000)), // larger than the buffer below, and not a multiple of it
          manager.arange(0, 12, 1, DataType.INT64).reshape(3, 4),
          manager.create(new float[0], new Shape(0, 4)),
          manager.create(2.5f)};
      for (NDArray a : arrays) {
        assertArrayEquals(a.encode(), streamed(a, new ArrayEncoder(1000)), a.getShape().toString());
        assertArrayEquals(a.encode(), streamed(a, new ArrayEncoder()), a.getShape().toString());
      }
    }
  }

  @Test
  void theNetworkSavesWhatDjlWould() throws IOException {
    try (NDManager manager = NDManager.newBaseManager()) {
      PlainConvUNet net = new PlainConvUNet(PlainConvUNetTest.tinyFiveStage(true));
      net.initialize(manager, 1);
      ByteArrayOutputStream expected = new ByteArrayOutputStream();
      DataOutputStream os = new DataOutputStream(expected);
      os.write(1); // PlainConvUNet's version, then metadata and each parameter as DJL writes them
      ByteArrayOutputStream ours = new ByteArrayOutputStream();
      net.writeParameters(ours);
      ByteArrayOutputStream metadata = new ByteArrayOutputStream();
      net.saveMetadata(new DataOutputStream(metadata));
      os.write(metadata.toByteArray());
      for (Parameter p : net.getDirectParameters().values()) {
        p.save(os);
      }
      os.flush();
      assertArrayEquals(expected.toByteArray(), ours.toByteArray());
    }
  }

  private static byte[] streamed(NDArray a, ArrayEncoder encoder) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    encoder.write(a, out);
    out.flush();
    return bytes.toByteArray();
  }
}
