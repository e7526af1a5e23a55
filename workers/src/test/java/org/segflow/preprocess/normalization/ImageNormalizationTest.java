package org.segflow.preprocess.normalization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.segflow.InvalidInputException;

/** Expected arrays came from numpy 2.4 running nnU-Net's normalization classes on float32 input. */
class ImageNormalizationTest {

  private static final float[] Z = {3, 17, 250, 0, 128, 64, 77, 91, 12, 200, 5, 33, 150, 99, 180, 1};

  private static float[] run(ImageNormalization n, float[] in, short[] seg) {
    float[] v = new float[in.length + 2]; // offset 1 and a trailing sentinel check the range handling
    v[0] = 42;
    v[v.length - 1] = 43;
    System.arraycopy(in, 0, v, 1, in.length);
    n.normalize(v, 1, in.length, seg);
    assertEquals(42f, v[0]);
    assertEquals(43f, v[v.length - 1]);
    float[] out = new float[in.length];
    System.arraycopy(v, 1, out, 0, in.length);
    return out;
  }

  @Test
  void ctClipsToFingerprintPercentilesThenStandardizesExactlyAsNumpy() {
    IntensityProperties p = new IntensityProperties(300, 100.5, 90, -5, 10.0, 200.0, 20.25);
    float[] out = run(ImageNormalization.forScheme("CTNormalization", false, p),
        new float[] {0, 10, 55.5f, 100.5f, 250, 199.99f, -3, 12.25f}, null);
    assertArrayEquals(new float[] {-4.469135761260986f, -4.469135761260986f, -2.222222328186035f, 0.0f,
        4.913580417633057f, 4.913086891174316f, -4.469135761260986f, -4.358024597167969f}, out, 0f);
  }

  @Test
  void zscoreOverTheWholeImage() {
    float[] out = run(ImageNormalization.forScheme("ZScoreNormalization", false, null), Z, null);
    // numpy's float32 mean/std are 81.875 / 77.53699; ours come from double sums rounded to float32,
    // which may move a result by an ulp, hence the tolerance
    assertArrayEquals(new float[] {-1.017256498336792f, -0.8366974592208862f, 2.1683199405670166f,
        -1.0559476613998413f, 0.5948773622512817f, -0.2305351346731186f, -0.0628732219338417f,
        0.11768577247858047f, -0.9011828303337097f, 1.5234664678573608f, -0.9914622902870178f,
        -0.6303443312644958f, 0.8786129355430603f, 0.22086232900619507f, 1.2655251026153564f,
        -1.0430505275726318f}, out, 1e-6f);
  }

  @Test
  void zscoreWithMaskUsesOnlyTheNonzeroRegionAndLeavesTheOutside() {
    short[] seg = {-1, 0, 0, -1, 1, 0, 2, 0, 0, 0, -1, 0, 1, 0, 0, -1};
    float[] in = Z.clone();
    for (int i = 0; i < seg.length; i++) {
      if (seg[i] < 0) {
        in[i] = 0;
      }
    }
    float[] out = run(ImageNormalization.forScheme("ZScoreNormalization", true, null), in, seg);
    assertArrayEquals(new float[] {0.0f, -1.268097996711731f, 1.9639915227890015f, 0.0f,
        0.2716527581214905f, -0.6161314249038696f, -0.4358002841472626f, -0.2415974885225296f,
        -1.3374561071395874f, 1.2704099416732788f, 0.0f, -1.046151876449585f, 0.5768285393714905f,
        -0.130624458193779f, 0.9929773807525635f, 0.0f}, out, 1e-6f);
  }

  @Test
  void zscoreOfAConstantImageDividesByTheFloor() {
    float[] out = run(new ZScoreNormalization(false), new float[] {7, 7, 7}, null);
    assertArrayEquals(new float[] {0, 0, 0}, out, 0f);
  }

  @Test
  void rescaleTo01() {
    float[] in = Z.clone();
    for (int i = 0; i < in.length; i++) {
      in[i] += 0.5f;
    }
    float[] out = run(ImageNormalization.forScheme("RescaleTo01Normalization", false, null), in, null);
    assertArrayEquals(new float[] {0.012000000104308128f, 0.06800000369548798f, 1.0f, 0.0f,
        0.5120000243186951f, 0.25600001215934753f, 0.30799999833106995f, 0.36399999260902405f,
        0.04800000041723251f, 0.800000011920929f, 0.019999999552965164f, 0.13199999928474426f,
        0.6000000238418579f, 0.3959999978542328f, 0.7200000286102295f, 0.004000000189989805f}, out, 0f);
  }

  @Test
  void rgbTo01DividesBy255() {
    float[] out = run(ImageNormalization.forScheme("RGBTo01Normalization", false, null), Z, null);
    assertArrayEquals(new float[] {0.0117647061124444f, 0.06666667014360428f, 0.9803921580314636f,
        0.0f, 0.501960813999176f, 0.250980406999588f, 0.3019607961177826f, 0.35686275362968445f,
        0.0470588244497776f, 0.7843137383460999f, 0.019607843831181526f, 0.12941177189350128f,
        0.5882353186607361f, 0.38823530077934265f, 0.7058823704719543f, 0.003921568859368563f},
        out, 0f);
  }

  @Test
  void rgbTo01RejectsValuesOutsideEightBits() {
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> new RGBTo01Normalization().normalize(new float[] {0, 256}, 0, 2, null));
    assertTrue(e.getMessage().contains("0..255"), e.getMessage());
    assertThrows(InvalidInputException.class,
        () -> new RGBTo01Normalization().normalize(new float[] {-1, 3}, 0, 2, null));
  }

  @Test
  void noNormalizationLeavesValues() {
    assertArrayEquals(Z, run(ImageNormalization.forScheme("NoNormalization", true, null), Z, null), 0f);
  }

  @Test
  void schemesAreSelectedByNnunetClassNames() {
    assertInstanceOf(ZScoreNormalization.class,
        ImageNormalization.forScheme("ZScoreNormalization", true, null));
    InvalidInputException unknown = assertThrows(InvalidInputException.class,
        () -> ImageNormalization.forScheme("zscore", false, null));
    assertTrue(unknown.getMessage().contains("'zscore'"), unknown.getMessage());
    assertThrows(InvalidInputException.class,
        () -> ImageNormalization.forScheme("CTNormalization", false, null));
  }
}
