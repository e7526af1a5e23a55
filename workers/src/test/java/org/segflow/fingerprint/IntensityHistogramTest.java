package org.segflow.fingerprint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.segflow.preprocess.normalization.IntensityProperties;

class IntensityHistogramTest {

  /** 37 draws of 100 * N(0, 1) as float32 (RandomState(5)), with 7 repeats. */
  private static final float[] SAMPLES = {44.12274932861328f, -33.08701705932617f,
      243.07711791992188f, -25.209213256835938f, 10.960984230041504f, 158.24810791015625f,
      -90.9232406616211f, -59.163665771484375f, 18.76032257080078f, -32.986995697021484f,
      -119.27645874023438f, -20.487651824951172f, -35.882896423339844f, 60.34716033935547f,
      -166.47885131835938f, -70.01790618896484f, 115.13909912109375f, 185.73309326171875f,
      -151.11795043945312f, 64.48474884033203f, -98.060791015625f, -85.68531799316406f,
      -87.18791961669922f, -42.25079345703125f, 99.64398193359375f, 71.24212646484375f,
      5.914424419403076f, -36.33108901977539f, 0.3288843035697937f, -10.59304428100586f,
      79.30532836914062f, -63.157161712646484f, -0.6194908618927002f, -10.10676097869873f,
      -5.2308149337768555f, 24.92176628112793f, 19.766008377075195f, 44.12274932861328f,
      -33.08701705932617f, 243.07711791992188f, -25.209213256835938f, 10.960984230041504f,
      44.12274932861328f, -33.08701705932617f};

  // Expected values: np.percentile(samples, np.array(q)) / np.mean / np.std on the float32 array
  // (numpy 2.4). An array q, as nnU-Net passes, interpolates in float64; a scalar q would not.
  @Test
  void percentilesMatchNumpyLinearInterpolationOnFloat32Samples() {
    IntensityHistogram h = IntensityHistogram.of(SAMPLES);
    assertEquals(44, h.total());
    assertEquals(-163.17625762939454, h.percentile(0.5), 0.0);
    assertEquals(-7.668787956237793, h.percentile(50.0), 0.0);
    assertEquals(243.07711791992188, h.percentile(99.5), 0.0);
    assertEquals(-89.80264434814453, h.percentile(10.0), 0.0);
    assertEquals(-37.811015129089355, h.percentile(25.0), 0.0);
    assertEquals(-33.08701705932617, h.percentile(33.3), 0.0);
    assertEquals(44.12274932861328, h.percentile(75.0), 0.0);
    assertEquals(110.4905639648438, h.percentile(90.0), 0.0);
  }

  @Test
  void propertiesMatchNumpyInFloat64() {
    IntensityProperties p = IntensityHistogram.of(SAMPLES).properties();
    assertEquals(4.750936951149594, p.mean(), 1e-12);
    assertEquals(88.83646565133674, p.std(), 1e-12);
    assertEquals(-166.47885131835938, p.min(), 0.0);
    assertEquals(243.07711791992188, p.max(), 0.0);
    assertEquals(-7.668787956237793, p.median(), 0.0);
  }

  @Test
  void mergeIsTheMultisetUnion() {
    float[] a = new float[20];
    float[] b = new float[SAMPLES.length - 20];
    System.arraycopy(SAMPLES, 0, a, 0, 20);
    System.arraycopy(SAMPLES, 20, b, 0, b.length);
    IntensityHistogram merged = IntensityHistogram.merge(IntensityHistogram.of(a),
        IntensityHistogram.of(b));
    IntensityHistogram whole = IntensityHistogram.of(SAMPLES);
    assertEquals(whole.total(), merged.total());
    assertEquals(whole.distinctValues(), merged.distinctValues());
    assertEquals(whole.properties(), merged.properties());
    FingerprintExtractor.Merger m = new FingerprintExtractor.Merger();
    for (float v : SAMPLES) {
      m.add(IntensityHistogram.of(v));
    }
    assertEquals(whole.properties(), m.result().properties());
  }

  @Test
  void negativeZeroCountsAsZero() {
    IntensityHistogram h = IntensityHistogram.of(-0.0f, 0.0f, 1f);
    assertEquals(2, h.distinctValues());
    assertEquals(0.0, h.percentile(0), 0.0);
    assertEquals(Double.doubleToLongBits(0.0), Double.doubleToLongBits(h.percentile(0)));
  }

  @Test
  void singleSample() {
    IntensityProperties p = IntensityHistogram.of(5f).properties();
    assertEquals(new IntensityProperties(5, 5, 5, 5, 5, 5, 0), p);
  }
}
