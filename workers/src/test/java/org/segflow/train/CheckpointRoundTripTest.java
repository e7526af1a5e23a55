package org.segflow.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segflow.InvalidInputException;
import org.segflow.net.PlainConvUNet;
import org.segflow.net.UNetArchitecture;
import org.segflow.train.loss.DeepSupervisionTargets;
import org.segflow.train.optim.NesterovSgd;
import org.segflow.train.optim.TrainStep;

/** A checkpoint restores exactly the weights, the optimizer's momentum and the epoch it saved. */
class CheckpointRoundTripTest {

  @Test
  void resumeRestoresWeightsMomentumAndEpoch(@TempDir Path dir) throws Exception {
    UNetArchitecture arch = UNetArchitecture.isotropic2d(1, 2, 4, true);
    Path file = dir.resolve(Checkpoint.LATEST);
    Map<String, float[]> weightsBefore = new java.util.TreeMap<>();
    Map<String, float[]> momentumBefore = new java.util.TreeMap<>();
    TrainingHistory history = new TrainingHistory();
    history.add(new EpochResult(0, 3, 0.01, -0.1, -0.2, new double[] {0.3}, 0.3, 0.3, true, 1.5, 2, 0));
    try (NDManager m = NDManager.newBaseManager()) {
      PlainConvUNet net = new PlainConvUNet(arch);
      net.initialize(m, 3);
      try (NesterovSgd sgd = NesterovSgd.nnUNet(net.getParameters().values())) {
        TrainStep step = TrainStep.nnUNet(net, sgd);
        for (int i = 0; i < 2; i++) {
          try (NDManager it = m.newSubManager()) {
            NDArray x = it.randomNormal(new Shape(2, 1, 32, 32));
            NDArray y = it.randomInteger(0, 2, new Shape(2, 32, 32), DataType.INT64);
            NDList t = DeepSupervisionTargets.downsample(y, arch.deepSupervisionFactors());
            step.run(x, t, 0.01);
          }
        }
        for (Parameter p : net.getParameters().values()) {
          weightsBefore.put(p.getName(), p.getArray().toFloatArray());
        }
        sgd.momentumBuffers().forEach((k, v) -> momentumBefore.put(k, v.toFloatArray()));
        byte[] w = Checkpoint.capture(net::writeParameters);
        byte[] o = Checkpoint.capture(sgd::writeState);
        new Checkpoint(new Checkpoint.State("nnUNetTrainer", 1, 3, 0.3, history, Map.of(), new int[] {0, 1},
            Checkpoint.sha256(w)), w, o).write(file);
      }
    }

    Checkpoint back = Checkpoint.read(file);
    assertEquals(1, back.state().currentEpoch());
    assertEquals(0.3, back.state().bestEma());
    assertEquals(history.trainLosses(), back.state().logging().trainLosses());
    try (NDManager m = NDManager.newBaseManager()) {
      PlainConvUNet net = new PlainConvUNet(arch);
      net.readParameters(m, new ByteArrayInputStream(back.weights()));
      for (Parameter p : net.getParameters().values()) {
        assertArrayEquals(weightsBefore.get(p.getName()), p.getArray().toFloatArray(), p.getName());
      }
      try (NesterovSgd sgd = NesterovSgd.nnUNet(net.getParameters().values())) {
        sgd.readState(new ByteArrayInputStream(back.optimizer()));
        assertEquals(momentumBefore.keySet(), sgd.momentumBuffers().keySet());
        sgd.momentumBuffers().forEach((k, v) -> assertArrayEquals(momentumBefore.get(k), v.toFloatArray(), k));
      }
    }
  }

  @Test
  void inferenceStreamsTheWeightsAndStillChecksTheirSha256(@TempDir Path dir) throws Exception {
    UNetArchitecture arch = UNetArchitecture.isotropic2d(1, 2, 4, false);
    Path good = dir.resolve(Checkpoint.FINAL);
    Path tampered = dir.resolve("tampered.zip");
    Map<String, float[]> saved = new java.util.TreeMap<>();
    try (NDManager m = NDManager.newBaseManager()) {
      PlainConvUNet net = new PlainConvUNet(arch);
      net.initialize(m, 5);
      net.getParameters().values().forEach(p -> saved.put(p.getName(), p.getArray().toFloatArray()));
      byte[] w = Checkpoint.capture(net::writeParameters);
      Checkpoint.State state = new Checkpoint.State("nnUNetTrainer", 3, 3, 0.4, new TrainingHistory(), Map.of(),
          new int[] {1}, Checkpoint.sha256(w));
      new Checkpoint(state, w, new byte[] {1, 2, 3}).write(good);
      new Checkpoint(new Checkpoint.State("nnUNetTrainer", 3, 3, 0.4, new TrainingHistory(), Map.of(),
          new int[] {1}, Checkpoint.sha256(new byte[] {9})), w, new byte[0]).write(tampered);
    }
    try (NDManager m = NDManager.newBaseManager()) {
      PlainConvUNet net = new PlainConvUNet(arch);
      Checkpoint.State state = Checkpoint.readWeights(good, in -> net.readParameters(m, in));
      assertArrayEquals(new int[] {1}, state.mirrorAxes());
      for (Parameter p : net.getParameters().values()) {
        assertArrayEquals(saved.get(p.getName()), p.getArray().toFloatArray(), p.getName());
      }
      PlainConvUNet other = new PlainConvUNet(arch);
      InvalidInputException e = assertThrows(InvalidInputException.class,
          () -> Checkpoint.readWeights(tampered, in -> other.readParameters(m, in)));
      assertTrue(e.getMessage().contains("do not match their sha256"), e.getMessage());
    }
  }

  @Test
  void corruptedWeightsAreRefused(@TempDir Path dir) throws Exception {
    byte[] w = {1, 2, 3, 4};
    Path file = dir.resolve(Checkpoint.BEST);
    new Checkpoint(new Checkpoint.State("nnUNetTrainer", 1, 3, 0.3, new TrainingHistory(), Map.of(),
        new int[] {0, 1}, Checkpoint.sha256(w)), w, new byte[] {5}).write(file);
    byte[] zip = Files.readAllBytes(file);
    int at = indexOf(zip, new byte[] {1, 2, 3, 4});
    zip[at] = 9; // flip a weight byte behind the checksum's back
    Files.write(file, zip);
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> Checkpoint.read(file));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i <= hay.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("not found");
  }

  @Test
  void aStreamedCheckpointIsTheSameFileAsOneWrittenFromArrays(@TempDir Path dir) throws Exception {
    UNetArchitecture arch = UNetArchitecture.isotropic2d(1, 2, 4, true);
    try (NDManager m = NDManager.newBaseManager()) {
      PlainConvUNet net = new PlainConvUNet(arch);
      net.initialize(m, 5);
      try (NesterovSgd sgd = NesterovSgd.nnUNet(net.getParameters().values())) {
        try (NDManager it = m.newSubManager()) {
          NDArray x = it.randomNormal(new Shape(2, 1, 32, 32));
          NDArray y = it.randomInteger(0, 2, new Shape(2, 32, 32), DataType.INT64);
          TrainStep.nnUNet(net, sgd).run(x, DeepSupervisionTargets.downsample(y,
              arch.deepSupervisionFactors()), 0.01);
        }
        byte[] w = Checkpoint.capture(net::writeParameters);
        byte[] o = Checkpoint.capture(sgd::writeState);
        java.util.function.Function<String, Checkpoint.State> state = sha -> new Checkpoint.State(
            "nnUNetTrainer", 2, 3, 0.4, new TrainingHistory(), Map.of("fold", "0"), new int[] {0, 1}, sha);
        Path fromArrays = dir.resolve("arrays.zip");
        Path streamed = dir.resolve("streamed.zip");
        new Checkpoint(state.apply(Checkpoint.sha256(w)), w, o).write(fromArrays);
        Checkpoint.write(streamed, state, net::writeParameters, sgd::writeState);
        assertArrayEquals(Files.readAllBytes(fromArrays), Files.readAllBytes(streamed));
        assertEquals(Checkpoint.sha256(w), Checkpoint.read(streamed).state().weightsSha256());

        // An encoder that gives other bytes when writing than when measured is refused, and no file is left.
        int[] calls = {0};
        Path unstable = dir.resolve("unstable.zip");
        assertThrows(RuntimeException.class, () -> Checkpoint.write(unstable, state,
            out -> out.writeInt(calls[0]++), sgd::writeState));
        assertEquals(2, calls[0], "measured, then written");
        assertTrue(Files.notExists(unstable));
      }
    }
  }
}
