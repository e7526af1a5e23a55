package org.segflow.train.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IntensityTransformsTest {

  // A 5x7 plane blurred with sigma 0.6 along y and 0.95 along x, and a 3x4 plane upsampled to
  // 7x5. Expected values from numpy (np.pad mode 'reflect' + the upstream kernel formula) and
  // scipy.ndimage.zoom(order=1, grid_mode=True, mode='nearest'), which samples like
  // interpolate(mode='bilinear', align_corners=False).
  private static final float[] BLUR_INPUT = {
    0.54881352186203f, 0.7151893377304077f, 0.6027633547782898f, 0.5448831915855408f,
    0.42365479469299316f, 0.6458941102027893f, 0.4375872015953064f, 0.891772985458374f,
    0.9636627435684204f, 0.3834415078163147f, 0.7917250394821167f, 0.5288949012756348f,
    0.5680445432662964f, 0.9255966544151306f, 0.07103605568408966f, 0.08712930232286453f,
    0.020218396559357643f, 0.832619845867157f, 0.7781567573547363f, 0.8700121641159058f,
    0.978618323802948f, 0.7991585731506348f, 0.4614793658256531f, 0.7805292010307312f,
    0.11827442795038223f, 0.6399210095405579f, 0.14335328340530396f, 0.9446688890457153f,
    0.5218483209609985f, 0.4146619439125061f, 0.26455560326576233f, 0.7742336988449097f,
    0.4561503231525421f, 0.568433940410614f, 0.018789799883961678f
  };
  private static final double[] BLUR_EXPECTED = {
    0.7123948289078336, 0.6880199671488657, 0.6200254934685924, 0.5705481463010103,
    0.5506141841728425, 0.5773354139509135, 0.598441253314668, 0.7055436676815308,
    0.6544746188051194, 0.5825823110458715, 0.6068182473046134, 0.6263383331983658,
    0.6700859456413025, 0.7175151323253041, 0.3048244698253504, 0.30303986164701646,
    0.3802165050516221, 0.5682615075738355, 0.6946384709907658, 0.7639890133300419,
    0.8097440587768401, 0.5095984873244669, 0.49231090230847707, 0.4772459327736327,
    0.4728041197269594, 0.49465667270638036, 0.5203005326196075, 0.5563477606059012,
    0.5065339422366891, 0.48014850372468704, 0.4744597323893971, 0.5060136157765092,
    0.49340377610822245, 0.43306765380769846, 0.3965885202679973
  };
  private static final double[] SMALL = {
    0.0, 1.0, 2.8284271247461903, 5.196152422706632, 8.0, 11.180339887498949,
    14.696938456699069, 18.520259177452132, 22.627416997969522, 27.0, 31.622776601683793,
    36.4828726939094
  };
  private static final double[] ZOOMED = {
    0.0, 0.7000000000000002, 1.9142135623730951, 3.5387447141343236, 5.196152422706632,
    1.1428571428571423, 2.0608911316070375, 3.4891315066196533, 5.29662899396156,
    7.099596244813131, 4.571428571428571, 6.143564526428151, 8.213885339359331,
    10.570281833443275, 12.809927711132632, 8.0, 10.226237921249265, 12.938639172099009,
    15.84393467292499, 18.520259177452132, 14.268892999129793, 16.852803854738518,
    19.955531655845956, 23.23116499710777, 26.218522113076673, 20.53778599825959,
    23.479369788227775, 26.972424139592913, 30.61839532129055, 33.91678504870122,
    22.627416997969526, 25.68822509939086, 29.311388300841898, 33.08080542935148,
    36.4828726939094
  };

  @Test
  void blurKernelsFollowTheUpstreamSizeAndShape() {
    assertEquals(3, GaussianBlur.kernelSize(0.5)); // 3.5 rounds to 4 (even) -> 3
    assertEquals(3, GaussianBlur.kernelSize(0.5833)); // 4.0 -> 4 is even, n - 4 < 0 -> 3
    assertEquals(5, GaussianBlur.kernelSize(0.75)); // 5.0
    assertEquals(5, GaussianBlur.kernelSize(0.9)); // 5.9 -> 6 even, n - 6 < 0 -> 5
    assertEquals(7, GaussianBlur.kernelSize(1.0)); // 6.5 rounds to 6 (even), n - 6 >= 0 -> 7
    // from the upstream formula evaluated with numpy float32
    assertArrayEquals(new float[] {0.10650697f, 0.786986f, 0.10650697f}, GaussianBlur.kernel(0.5), 1e-6f);
    assertArrayEquals(new float[] {0.0044330480f, 0.054005578f, 0.24203622f, 0.39905027f,
        0.24203622f, 0.054005578f, 0.0044330480f}, GaussianBlur.kernel(1.0), 1e-6f);
  }

  @Test
  void blurMatchesTheReflectPaddedReference() {
    float[] plane = BLUR_INPUT.clone();
    GaussianBlur.blurPlane(plane, 0, 5, 7, 0.6, 0.95);
    for (int i = 0; i < plane.length; i++) {
      assertEquals(BLUR_EXPECTED[i], plane[i], 1e-5, "pixel " + i);
    }
  }

  @Test
  void reflectionDoesNotRepeatTheEdge() {
    assertEquals(1, GaussianBlur.reflect(-1, 5));
    assertEquals(3, GaussianBlur.reflect(-3, 5));
    assertEquals(3, GaussianBlur.reflect(5, 5));
    assertEquals(0, GaussianBlur.reflect(8, 5));
    assertEquals(0, GaussianBlur.reflect(-2, 1));
  }

  @Test
  void blurKeepsAConstantImage() {
    Sample s = SampleFixtures.constant(2, 9, 11, 3.25f);
    GaussianBlur.blurPlane(s.image(), 0, 9, 11, 1.0, 0.5);
    for (float v : s.image()) {
      assertEquals(3.25f, v, 1e-5f);
    }
  }

  @Test
  void bilinearUpsamplingMatchesTheReference() {
    float[] small = new float[SMALL.length];
    for (int i = 0; i < small.length; i++) {
      small[i] = (float) SMALL[i];
    }
    float[] up = Resize.bilinear(small, 3, 4, 7, 5);
    for (int i = 0; i < up.length; i++) {
      assertEquals(ZOOMED[i], up[i], 1e-4, "pixel " + i);
    }
  }

  @Test
  void nearestExactPicksHalfPixelCentres() {
    assertArrayEquals(new int[] {0, 2, 4}, Resize.nearestExactIndices(5, 3));
    assertArrayEquals(new int[] {1, 3}, Resize.nearestExactIndices(4, 2));
    assertArrayEquals(new int[] {0, 1, 2}, Resize.nearestExactIndices(3, 3));
    assertArrayEquals(new int[] {0, 0, 1, 2, 2}, Resize.nearestExactIndices(3, 5)); // (d + 0.5) * 0.6
  }

  @Test
  void noiseChangesTheImageButNotTheLabels() {
    Sample s = SampleFixtures.random(2, 16, 16, 1);
    Sample before = SampleFixtures.copy(s);
    new GaussianNoise().apply(s, new SplittableRandom(2));
    assertFalse(java.util.Arrays.equals(before.image(), s.image()));
    assertArrayEquals(before.seg(), s.seg());
    double maxDiff = 0;
    for (int i = 0; i < s.image().length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(s.image()[i] - before.image()[i]));
    }
    assertTrue(maxDiff < 0.1 * 6, "noise sigma is at most 0.1: " + maxDiff);
  }

  @Test
  void brightnessScalesEachChannelByOneFactorInRange() {
    Sample s = SampleFixtures.constant(3, 4, 4, 2f);
    new MultiplicativeBrightness().apply(s, new SplittableRandom(3));
    for (int c = 0; c < 3; c++) {
      float v = s.image()[c * 16];
      assertTrue(v >= 1.5f && v <= 2.5f, "factor within [0.75, 1.25]: " + v / 2);
      for (int i = 0; i < 16; i++) {
        assertEquals(v, s.image()[c * 16 + i], 0f);
      }
    }
  }

  @Test
  void contrastStaysWithinTheOriginalRangeAndKeepsTheMeanWhereNotClamped() {
    SplittableRandom rng = new SplittableRandom(4);
    for (int k = 0; k < 50; k++) {
      Sample s = SampleFixtures.random(1, 12, 12, k);
      float min = Float.MAX_VALUE;
      float max = -Float.MAX_VALUE;
      for (float v : s.image()) {
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
      new ContrastAugmentation().apply(s, rng);
      for (float v : s.image()) {
        assertTrue(v >= min && v <= max, v + " outside [" + min + ", " + max + "]");
      }
    }
    // a factor below 1 never clamps, so the mean is kept
    Sample s = SampleFixtures.random(1, 12, 12, 99);
    double meanBefore = GammaAugmentation.meanStd(s.image(), 0, 144)[0];
    new ContrastAugmentation(new BgContrast(0.8, 0.8)).apply(s, rng);
    assertEquals(meanBefore, GammaAugmentation.meanStd(s.image(), 0, 144)[0], 1e-5);
  }

  @Test
  void lowResolutionOfAConstantIsConstantAndOfNoiseIsSmoother() {
    Sample c = SampleFixtures.constant(1, 17, 13, -0.75f);
    SimulateLowResolution.degradePlane(c.image(), 0, 17, 13, 0.6f);
    for (float v : c.image()) {
      assertEquals(-0.75f, v, 1e-6f);
    }
    Sample s = SampleFixtures.random(1, 32, 32, 5);
    double varBefore = Math.pow(GammaAugmentation.meanStd(s.image(), 0, 1024)[1], 2);
    SimulateLowResolution.degradePlane(s.image(), 0, 32, 32, 0.5f);
    double varAfter = Math.pow(GammaAugmentation.meanStd(s.image(), 0, 1024)[1], 2);
    assertTrue(varAfter < 0.9 * varBefore, varBefore + " -> " + varAfter);
  }

  @Test
  void gammaKeepsMeanAndStandardDeviation() {
    for (boolean invert : new boolean[] {false, true}) {
      for (double g : new double[] {0.7, 1.0, 1.5}) {
        Sample s = SampleFixtures.random(1, 16, 16, 6);
        double[] before = GammaAugmentation.meanStd(s.image(), 0, 256);
        float[] original = s.image().clone();
        GammaAugmentation.applyToPlane(s.image(), 0, 256, g, invert);
        double[] after = GammaAugmentation.meanStd(s.image(), 0, 256);
        assertEquals(before[0], after[0], 1e-5, "mean, gamma " + g + " invert " + invert);
        assertEquals(before[1], after[1], 1e-5, "std, gamma " + g + " invert " + invert);
        if (g == 1.0) {
          assertArrayEquals(original, s.image(), 1e-5f);
        }
      }
    }
  }

  @Test
  void gammaValuesMatchTheFormula() {
    float[] x = {0f, 1f, 3f};
    GammaAugmentation.applyToPlane(x, 0, 3, 2.0, false);
    // (x - 0) / 3 squared * 3 = 0, 1/3, 3 -> mean 10/9, std 1.5947; rescaled to mean 4/3, std 1.5275
    double[] raw = {0, 1.0 / 3, 3};
    double m = (raw[0] + raw[1] + raw[2]) / 3;
    double sd = Math.sqrt(((raw[0] - m) * (raw[0] - m) + (raw[1] - m) * (raw[1] - m) + (raw[2] - m) * (raw[2] - m)) / 2);
    double m0 = 4.0 / 3;
    double sd0 = Math.sqrt(((0 - m0) * (0 - m0) + (1 - m0) * (1 - m0) + (3 - m0) * (3 - m0)) / 2);
    for (int i = 0; i < 3; i++) {
      assertEquals((raw[i] - m) * (sd0 / sd) + m0, x[i], 1e-5);
    }
  }

  @Test
  void bgContrastDrawsBelowAndAboveOneEquallyOften() {
    BgContrast b = new BgContrast(0.75, 1.25);
    SplittableRandom rng = new SplittableRandom(7);
    int below = 0;
    for (int i = 0; i < 4000; i++) {
      double f = b.sample(rng);
      assertTrue(f >= 0.75 && f <= 1.25, "factor " + f);
      if (f < 1) {
        below++;
      }
    }
    assertTrue(Math.abs(below - 2000) < 160, "below one: " + below); // sd 31.6
    BgContrast above = new BgContrast(1.1, 1.2);
    for (int i = 0; i < 100; i++) {
      double f = above.sample(rng);
      assertTrue(f >= 1.1 && f <= 1.2, "factor " + f);
    }
  }
}
