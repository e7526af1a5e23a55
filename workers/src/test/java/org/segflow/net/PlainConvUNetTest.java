package org.segflow.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlainConvUNetTest {

  /** 5 stages, 8..64 features, 3 classes: small enough for a fast CPU test. */
  static UNetArchitecture tinyFiveStage(boolean deepSupervision) {
    int[][] k = {{3, 3}, {3, 3}, {3, 3}, {3, 3}, {3, 3}};
    int[][] s = {{1, 1}, {2, 2}, {2, 2}, {2, 2}, {2, 2}};
    return new UNetArchitecture(1, 3, 5, new int[] {8, 16, 32, 64, 64}, k, s,
        new int[] {2, 2, 2, 2, 2}, new int[] {2, 2, 2, 2}, deepSupervision);
  }

  /** 5 stages from nnU-Net's 32 features, without deep supervision. */
  static UNetArchitecture fiveStage32() {
    int[][] k = {{3, 3}, {3, 3}, {3, 3}, {3, 3}, {3, 3}};
    int[][] s = {{1, 1}, {2, 2}, {2, 2}, {2, 2}, {2, 2}};
    return new UNetArchitecture(1, 3, 5, new int[] {32, 64, 128, 256, 512}, k, s,
        new int[] {2, 2, 2, 2, 2}, new int[] {2, 2, 2, 2}, false);
  }

  @Test
  void deepSupervisionOutputsAreHighestResolutionFirst() {
    try (NDManager manager = NDManager.newBaseManager()) {
      PlainConvUNet net = new PlainConvUNet(tinyFiveStage(true));
      net.initialize(manager, 1);
      try (NDManager step = manager.newSubManager()) {
        NDList out = net.forward(step.randomNormal(new Shape(2, 1, 64, 48)));
        assertEquals(4, out.size());
        assertEquals(new Shape(2, 3, 64, 48), out.get(0).getShape());
        assertEquals(new Shape(2, 3, 32, 24), out.get(1).getShape());
        assertEquals(new Shape(2, 3, 16, 12), out.get(2).getShape());
        assertEquals(new Shape(2, 3, 8, 6), out.get(3).getShape());
        assertArrayEquals(out.getShapes(), net.getOutputShapes(new Shape[] {new Shape(2, 1, 64, 48)}));

        net.setDeepSupervision(false);
        NDList single = net.forward(step.randomNormal(new Shape(2, 1, 64, 48)));
        assertEquals(1, single.size());
        assertEquals(new Shape(2, 3, 64, 48), single.get(0).getShape());
      }
    }
  }

  @Test
  void fullResolutionOutputIsTheSameWithAndWithoutDeepSupervision() {
    try (NDManager manager = NDManager.newBaseManager()) {
      PlainConvUNet net = new PlainConvUNet(tinyFiveStage(true));
      net.initialize(manager, 3);
      NDArray x = manager.randomNormal(new Shape(1, 1, 32, 32));
      float[] withDs = net.forward(x).get(0).toFloatArray();
      net.setDeepSupervision(false);
      assertArrayEquals(withDs, net.forward(x).get(0).toFloatArray(), 0f);
    }
  }

  @Test
  void djlBlockForwardMatchesTheDirectForward() {
    try (NDManager manager = NDManager.newBaseManager()) {
      PlainConvUNet net = new PlainConvUNet(tinyFiveStage(false));
      net.initialize(manager, 4);
      NDArray x = manager.randomNormal(new Shape(1, 1, 32, 16));
      NDList viaBlock = net.forward(new ParameterStore(manager, false),
          new NDList(x), false);
      assertArrayEquals(net.forward(x).get(0).toFloatArray(), viaBlock.get(0).toFloatArray(), 0f);
    }
  }

  @Test
  void parametersHaveNnUNetNamesAndHeInitialisation() {
    UNetArchitecture drive = UNetArchitecture.isotropic2d(1, 2, 8, true);
    // 46,324,558: nnU-Net's DRIVE PlainConvUNet state_dict size, summed by hand in numpy from its layer shapes (docs/nnunet-parity.md).
    assertEquals(46_324_558L, new PlainConvUNet(drive).parameterCount());

    try (NDManager manager = NDManager.newBaseManager()) {
      PlainConvUNet net = new PlainConvUNet(tinyFiveStage(true));
      net.initialize(manager, 5);
      List<String> names = net.getParameters().keys();
      assertEquals("encoder.stages.0.0.convs.0.conv.weight", names.get(0));
      assertTrue(names.contains("encoder.stages.4.0.convs.1.norm.bias"));
      assertTrue(names.contains("decoder.transpconvs.0.weight"));
      assertTrue(names.contains("decoder.stages.3.convs.1.conv.weight"));
      assertEquals("decoder.seg_layers.3.bias", names.get(names.size() - 1));

      Parameter up = net.getParameters().get("decoder.transpconvs.0.weight");
      assertEquals(new Shape(64, 64, 2, 2), up.getArray().getShape());
      Parameter conv = net.getParameters().get("encoder.stages.3.0.convs.1.conv.weight");
      float[] w = conv.getArray().toFloatArray();
      double sumSquares = 0;
      for (float v : w) {
        sumSquares += v * v;
      }
      // kaiming_normal_(a=0.01): std = sqrt(2 / 1.0001 / (64·3·3)) = 0.058923
      assertEquals(0.058923, Math.sqrt(sumSquares / w.length), 0.002);
      float[] bias = net.getParameters().get("encoder.stages.3.0.convs.1.conv.bias").getArray()
          .toFloatArray();
      assertArrayEquals(new float[64], bias, 0f);
      float[] gamma = net.getParameters().get("encoder.stages.3.0.convs.1.norm.weight").getArray()
          .toFloatArray();
      assertEquals(1f, gamma[17], 0f);
      assertTrue(conv.getArray().hasGradient());
    }
  }

  @Test
  void sameSeedGivesSameWeights() {
    try (NDManager manager = NDManager.newBaseManager()) {
      PlainConvUNet a = new PlainConvUNet(tinyFiveStage(true));
      PlainConvUNet b = new PlainConvUNet(tinyFiveStage(true));
      PlainConvUNet c = new PlainConvUNet(tinyFiveStage(true));
      a.initialize(manager, 42);
      b.initialize(manager, 42);
      c.initialize(manager, 43);
      String name = "decoder.stages.1.convs.0.conv.weight";
      float[] wa = a.getParameters().get(name).getArray().toFloatArray();
      assertArrayEquals(wa, b.getParameters().get(name).getArray().toFloatArray(), 0f);
      assertTrue(wa[0] != c.getParameters().get(name).getArray().toFloatArray()[0]);
    }
  }

  @Test
  void parameterRoundTripGivesIdenticalOutputs() throws Exception {
    try (NDManager manager = NDManager.newBaseManager()) {
      PlainConvUNet original = new PlainConvUNet(tinyFiveStage(true));
      original.initialize(manager, 9);
      // Move away from the initial values so a re-initialisation could not pass.
      for (Parameter p : original.getParameters().values()) {
        p.getArray().addi(0.01f);
      }
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      original.writeParameters(bytes);

      PlainConvUNet restored = new PlainConvUNet(tinyFiveStage(false));
      restored.readParameters(manager, new ByteArrayInputStream(bytes.toByteArray()));
      restored.setDeepSupervision(true);
      NDArray x = manager.randomNormal(new Shape(2, 1, 32, 32));
      NDList expected = original.forward(x);
      NDList actual = restored.forward(x);
      for (int i = 0; i < expected.size(); i++) {
        assertArrayEquals(expected.get(i).toFloatArray(), actual.get(i).toFloatArray(), 0f);
      }
      assertTrue(restored.getParameters().get("decoder.seg_layers.0.weight").getArray()
          .hasGradient());

      // Loading again over existing parameters replaces them.
      restored.readParameters(manager, new ByteArrayInputStream(bytes.toByteArray()));
      assertArrayEquals(expected.get(0).toFloatArray(), restored.forward(x).get(0).toFloatArray(),
          0f);
    }
  }

  @Test
  void rejectsParametersOfAnotherArchitecture() throws Exception {
    try (NDManager manager = NDManager.newBaseManager()) {
      PlainConvUNet original = new PlainConvUNet(tinyFiveStage(true));
      original.initialize(manager, 9);
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      original.writeParameters(bytes);
      PlainConvUNet other = new PlainConvUNet(UNetArchitecture.isotropic2d(1, 3, 5, true));
      MalformedModelException e = assertThrows(MalformedModelException.class,
          () -> other.readParameters(manager, new ByteArrayInputStream(bytes.toByteArray())));
      assertTrue(e.getMessage().contains("featuresPerStage=[8, 16, 32, 64, 64]"), e.getMessage());
    }
  }

  @Test
  void aTruncatedStreamLeavesTheParametersAsTheyWere() throws Exception {
    try (NDManager manager = NDManager.newBaseManager()) {
      PlainConvUNet source = new PlainConvUNet(tinyFiveStage(true));
      source.initialize(manager, 9);
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      source.writeParameters(bytes);
      byte[] truncated = java.util.Arrays.copyOf(bytes.toByteArray(), bytes.size() - 100);

      PlainConvUNet target = new PlainConvUNet(tinyFiveStage(true));
      target.initialize(manager, 1);
      NDArray x = manager.randomNormal(new Shape(1, 1, 32, 16));
      float[] before = target.forward(x).get(0).toFloatArray();
      assertThrows(java.io.EOFException.class,
          () -> target.readParameters(manager, new ByteArrayInputStream(truncated)));
      assertArrayEquals(before, target.forward(x).get(0).toFloatArray(), 0f);
    }
  }

  @Test
  void rejectsInputsThatAreNotAMultipleOfTheStrides() {
    try (NDManager manager = NDManager.newBaseManager()) {
      PlainConvUNet net = new PlainConvUNet(tinyFiveStage(true));
      net.initialize(manager, 1);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> net.forward(manager.zeros(new Shape(1, 1, 40, 32))));
      assertTrue(e.getMessage().contains("multiple of 16"), e.getMessage());
      IllegalArgumentException tiny = assertThrows(IllegalArgumentException.class,
          () -> net.forward(manager.zeros(new Shape(1, 1, 16, 16))));
      assertTrue(tiny.getMessage().contains("single pixel"), tiny.getMessage());
    }
  }

  @Test
  void aRecordedForwardGivesTheInferenceValues() {
    // The norm and activation run as a TorchScript method, with autograd (training) and without
    // (inference): the same numbers.
    try (NDManager manager = NDManager.newBaseManager()) {
      PlainConvUNet net = new PlainConvUNet(tinyFiveStage(true));
      net.initialize(manager, 6);
      NDArray x = manager.randomNormal(new Shape(2, 1, 32, 48));
      NDList inference;
      try (NoGrad noGrad = new NoGrad()) {
        inference = net.forward(x);
      }
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDList training = net.forward(x);
        assertEquals("ConvolutionBackward0",
            JniUtils.getGradientFunctionNames((PtNDArray) training.get(0)), "a graph is recorded");
        for (int i = 0; i < inference.size(); i++) {
          assertArrayEquals(inference.get(i).toFloatArray(), training.get(i).toFloatArray(), 0f,
              "output " + i);
        }
      }
    }
  }

  @Test
  void aBf16ForwardGivesFloat32OutputsCloseToTheFloat32Ones() {
    // bfloat16 keeps 8 significant bits: after 18 layers the outputs are within several percent, and the
    // argmax is the same almost everywhere.
    // nnU-Net's 32 features at the first stage: some CPUs' bf16 kernels get fewer than 16 channels wrong.
    try (NDManager manager = NDManager.newBaseManager(); NoGrad noGrad = new NoGrad()) {
      PlainConvUNet net = new PlainConvUNet(fiveStage32());
      net.initialize(manager, 8);
      NDArray x = manager.randomNormal(new Shape(2, 1, 32, 48));
      NDArray fp32 = net.forward(x).get(0);
      NDArray bf16 = net.forward(x, DataType.BFLOAT16).get(0);
      assertEquals(DataType.FLOAT32, bf16.getDataType());
      assertEquals(fp32.getShape(), bf16.getShape());
      float scale = fp32.abs().max().getFloat();
      float error = fp32.sub(bf16).abs().max().getFloat();
      assertTrue(error > 0, "computed in another precision, not the float32 path again");
      assertTrue(error < 0.1f * scale, "max |bf16 - fp32| " + error + " against outputs up to " + scale);
      float agreement = fp32.argMax(1).eq(bf16.argMax(1)).toType(DataType.FLOAT32, false).mean().getFloat();
      assertTrue(agreement > 0.97f, "argmax agreement " + agreement);
    }
  }

  @Test
  void aForwardPassLeavesOnlyItsOutputsBehind() {
    // Every intermediate handle is closed, with and without a graph: a handle left open keeps
    // its tensor (and, when recorded, the graph behind it) until its manager closes.
    try (NDManager manager = NDManager.newBaseManager()) {
      PlainConvUNet net = new PlainConvUNet(tinyFiveStage(true));
      net.initialize(manager, 7);
      int parameters = manager.getManagedArrays().size();
      for (boolean recording : new boolean[] {false, true}) {
        try (NDManager step = manager.newSubManager();
            GradientCollector collector = recording
                ? Engine.getInstance().newGradientCollector() : null;
            NoGrad noGrad = recording ? null : new NoGrad()) {
          NDArray x = step.randomNormal(new Shape(2, 1, 32, 32));
          NDList out = net.forward(x);
          assertEquals(1 + out.size(), step.getManagedArrays().size(),
              "recording " + recording + ": " + step.getManagedArrays());
        }
        assertEquals(parameters, manager.getManagedArrays().size(), "recording " + recording);
      }
    }
  }
}
