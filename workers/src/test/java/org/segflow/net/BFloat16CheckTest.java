package org.segflow.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.util.List;
import org.junit.jupiter.api.Test;

class BFloat16CheckTest {

  @Test
  void agreesForANetworkOfNnUNetsWidthsAndRemembersIt() {
    Engines.pytorch(0);
    BFloat16Check.Result result = BFloat16Check.of(PlainConvUNetTest.fiveStage32(), Device.cpu());
    System.out.println("bf16 check, 5 stages of 32-512 features: " + result);
    assertTrue(result.forInference(), result.toString());
    assertTrue(result.worstError() > 0, "the bf16 pass computed in bf16: " + result);
    assertSame(result, BFloat16Check.of(PlainConvUNetTest.fiveStage32().withDeepSupervision(true), Device.cpu()),
        "checked once per architecture, deep supervision aside");
  }

  @Test
  void listsEveryDistinctConvolutionOfTheNetwork() {
    List<String> convolutions = BFloat16Check.convolutions(PlainConvUNetTest.fiveStage32()).stream()
        .map(BFloat16Check.Convolution::describe).toList();
    assertEquals(List.of(
        "3x3 conv 1->32 stride 1", "3x3 conv 32->32 stride 1", "3x3 conv 32->64 stride 2", "3x3 conv 64->64 stride 1",
        "3x3 conv 64->128 stride 2", "3x3 conv 128->128 stride 1", "3x3 conv 128->256 stride 2",
        "3x3 conv 256->256 stride 1", "3x3 conv 256->512 stride 2", "3x3 conv 512->512 stride 1",
        // decoder, bottom up: upsampling projection, convs (each half of the first one too), seg head
        "1x1 conv 512->1024 stride 1", "1x1 conv 256->3 stride 1", "1x1 conv 256->512 stride 1",
        "1x1 conv 128->3 stride 1", "1x1 conv 128->256 stride 1", "1x1 conv 64->3 stride 1",
        "1x1 conv 64->128 stride 1", "1x1 conv 32->3 stride 1"), convolutions);
  }

  @Test
  void wrongOutputsRefuseBf16AndWrongGradientsRefuseItForTraining() {
    BFloat16Check.Result right = new BFloat16Check.Result(List.of(), List.of(), 0.004, 3);
    assertTrue(right.forInference() && right.forTraining());
    BFloat16Check.Result gradients = new BFloat16Check.Result(List.of(), List.of("1x1 conv 32->3 stride 1 (0.59)"),
        0.59, 3);
    assertTrue(gradients.forInference());
    assertFalse(gradients.forTraining());
    assertTrue(gradients.toString().endsWith("; wrong gradients: 1x1 conv 32->3 stride 1 (0.59)"), gradients.toString());
    BFloat16Check.Result outputs = new BFloat16Check.Result(List.of("3x3 conv 8->8 stride 1 (0.41)"), List.of(), 0.41, 3);
    assertFalse(outputs.forInference() || outputs.forTraining());
  }
}
