package org.segflow.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.segflow.InvalidInputException;
import org.segflow.net.DeviceChoice.Accelerators;

class DeviceChoiceTest {

  private static final Accelerators LINUX_CPU = new Accelerators(0, false);
  private static final Accelerators CUDA_HOST = new Accelerators(2, false);
  private static final Accelerators APPLE_SILICON = new Accelerators(0, true);

  @ParameterizedTest(name = "{0} with {1} CUDA devices, mps {2} -> {3}")
  @CsvSource({
      "auto, 0, false, cpu",
      "auto, 2, false, gpu",
      "auto, 0, true, mps",
      "auto, 1, true, gpu",
      "AUTO, 0, true, mps",
      "cpu, 2, true, cpu",
      "cuda, 1, false, gpu",
      "gpu, 1, true, gpu",
      "mps, 0, true, mps",
      "mps, 3, true, mps",
      " Mps , 0, true, mps"})
  void choosesCudaThenMpsThenCpu(String requested, int cuda, boolean mps, String type) {
    Device d = DeviceChoice.choose(requested, new Accelerators(cuda, mps));
    assertEquals(type, d.getDeviceType());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "mps | MPS needs macOS on Apple silicon",
      "cuda | -device cuda: DJL's PyTorch engine sees no CUDA device",
      "gpu | -device gpu: DJL's PyTorch engine sees no CUDA device",
      "tpu | unknown device 'tpu': expected cpu, cuda (= gpu), mps or auto"})
  void refusesWhatThisMachineLacksInOneLine(String requested, String message) {
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> DeviceChoice.choose(requested, LINUX_CPU));
    assertTrue(e.getMessage().contains(message), e.getMessage());
    assertTrue(!e.getMessage().contains("\n"), e.getMessage());
  }

  @ParameterizedTest
  @CsvSource({"cuda", "gpu"})
  void cudaIsRefusedOnAMacAndMpsOnACudaHost(String cuda) {
    assertThrows(InvalidInputException.class, () -> DeviceChoice.choose(cuda, APPLE_SILICON));
    assertThrows(InvalidInputException.class, () -> DeviceChoice.choose("mps", CUDA_HOST));
  }

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource({
      "Linux, amd64, linux-x86_64",
      "Linux, aarch64, linux-aarch64",
      "Mac OS X, aarch64, osx-aarch64",
      "Mac OS X, x86_64, osx-x86_64",
      "Windows 11, amd64, win-x86_64"})
  void namesPlatformsAsPyTorchsNativesDo(String osName, String osArch, String platform) {
    assertEquals(platform, NativePlatform.of(osName, osArch));
  }

  @ParameterizedTest(name = "{0} on {1}")
  @CsvSource({
      "auto, cuda, fp16-mixed, fp32",
      "auto, cpu, CPU, CPU",
      "auto, mps, fp32, fp32",
      "fp32, cuda, fp32, fp32",
      "fp32, cpu, fp32, fp32",
      "bf16, cpu, bf16, bf16",
      "FP16-Mixed, cuda, fp16-mixed, fp16-mixed"})
  void precisionIsMixedOnCudaAndBf16OnCpusThatHaveItUnlessAsked(String requested, String device,
      String training, String inference) {
    Device d = switch (device) {
      case "cuda" -> Device.gpu();
      case "mps" -> DeviceChoice.MPS;
      default -> Device.cpu();
    };
    // CPU: bf16 where this machine's CPU computes in it natively, fp32 elsewhere
    String cpu = HostCpu.current().hasNativeBFloat16() ? "bf16" : "fp32";
    assertEquals(training.replace("CPU", cpu), Precision.parse(requested).on(d).toString(), "training");
    assertEquals(inference.replace("CPU", cpu), Precision.parse(requested).forInference(d).toString(),
        "prediction");
  }

  @ParameterizedTest
  @CsvSource({"fp8", "half", "''"})
  void refusesAnUnknownPrecision(String name) {
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> Precision.parse(name));
    assertTrue(e.getMessage().contains("expected auto, fp32, bf16, fp16-mixed"), e.getMessage());
  }

}
