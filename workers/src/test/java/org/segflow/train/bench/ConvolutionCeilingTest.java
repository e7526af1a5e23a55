package org.segflow.train.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.segflow.net.Precision;

class ConvolutionCeilingTest {

  private static final List<ConvolutionCeiling.ConvShape> SMALL = List.of(
      new ConvolutionCeiling.ConvShape(1, 8, 32, 32), new ConvolutionCeiling.ConvShape(1, 32, 16, 16));

  @Test
  void theCeilingIsTheFastestShapeAndBoundsTheFloor() {
    ConvolutionCeiling.Result r = ConvolutionCeiling.measure(Device.cpu(), SMALL, 2);
    assertEquals(2, r.perShape().size());
    double fastest = Math.max(r.perShape().get(0), r.perShape().get(1));
    assertTrue(fastest > 0, r.report());
    assertEquals(fastest, r.gflopPerSecond(), 0);
    assertEquals(SMALL.get(r.perShape().indexOf(fastest)), r.best());
    // 2·9·32·32·16·16 = 4.72 MFLOP for the second shape
    assertEquals(4.718592e-3, SMALL.get(1).gflop(), 1e-12);
    assertEquals(2.0, r.floorSeconds(2 * r.gflopPerSecond()), 1e-12);
    String line = r.floor("one step", r.gflopPerSecond(), 2.0);
    assertTrue(line.startsWith("one step: ") && line.contains("floor 1.00 s, measured 2.00 s (50% of the ceiling)"),
        line);
    assertTrue(r.report().startsWith("convolution ceiling "), r.report());
  }

  @Test
  void measuresInTheGivenPrecision() {
    ConvolutionCeiling.Result r = ConvolutionCeiling.measure(Device.cpu(), SMALL.subList(1, 2), 1, Precision.BF16);
    assertTrue(r.gflopPerSecond() > 0, r.report());
    assertTrue(r.report().startsWith("convolution ceiling ") && r.report().contains("GFLOP/s (bf16 3x3 conv 32x32"),
        r.report());
  }

  @Test
  void refusesNothingToTime() {
    assertThrows(IllegalArgumentException.class, () -> ConvolutionCeiling.measure(Device.cpu(), List.of(), 1));
    assertThrows(IllegalArgumentException.class, () -> ConvolutionCeiling.measure(Device.cpu(), SMALL, 0));
  }
}
