package org.segflow.train.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SpatialTransformTest {

  // A 9x11 image and labels, resampled to 6x7 with angle 0.7 rad and scale 1.3. The expected
  // values came from scipy.ndimage.map_coordinates (order 1, mode 'grid-constant': zero padding)
  // at the grid_sample sampling points, and for the labels from per-label one-hot maps (label -1
  // padded with 1) scaled by 1000, cast to float16, argmax (first maximum = lowest label).
  private static final float[] IMAGE = {
    0.6176354970758771f, 0.6120957227224214f, 0.6169339968747569f, 0.9437480785146242f,
    0.6818202991034834f, 0.359507900573786f, 0.43703195379934145f, 0.6976311959272649f,
    0.06022547162926983f, 0.6667667154456677f, 0.6706378696181594f, 0.2103825610738409f,
    0.1289262976548533f, 0.31542835092418386f, 0.3637107709426226f, 0.5701967704178796f,
    0.43860151346232035f, 0.9883738380592262f, 0.10204481074802807f, 0.2088767560948347f,
    0.16130951788499626f, 0.6531083254653984f, 0.2532916025397821f, 0.4663107728563063f,
    0.24442559200160274f, 0.15896958364551972f, 0.11037514116430513f, 0.6563295894652734f,
    0.1381829513486138f, 0.1965823616800535f, 0.3687251706609641f, 0.8209932298479351f,
    0.09710127579306127f, 0.8379449074988039f, 0.09609840789396307f, 0.9764594650133958f,
    0.4686512016477016f, 0.9767610881903371f, 0.604845519745046f, 0.7392635793983017f,
    0.039187792254320675f, 0.2828069625764096f, 0.1201965612131689f, 0.29614019752214493f,
    0.11872771895424405f, 0.317983179393976f, 0.41426299451466997f, 0.06414749634878436f,
    0.6924721193700198f, 0.5666014542065752f, 0.2653894909394454f, 0.5232480534666997f,
    0.09394051075844168f, 0.5759464955561793f, 0.9292961975762141f, 0.31856895245132366f,
    0.6674103799636817f, 0.13179786240439217f, 0.7163272041185655f, 0.2894060929472011f,
    0.18319136200711683f, 0.5865129348100832f, 0.020107546187493552f, 0.8289400292173631f,
    0.004695476192547066f, 0.6778165367962301f, 0.27000797319216485f, 0.7351940221225949f,
    0.9621885451174382f, 0.24875314351995803f, 0.5761573344178369f, 0.592041931271839f,
    0.5722519057908734f, 0.2230816326406183f, 0.952749011516985f, 0.44712537861762736f,
    0.8464086724711278f, 0.6994792753175043f, 0.29743695085513366f, 0.8137978197024772f,
    0.39650574084698464f, 0.8811031971111616f, 0.5812728726358587f, 0.8817353618548528f,
    0.6925315900777659f, 0.7252542798196405f, 0.5013243819267023f, 0.9560836347232239f,
    0.6439901992296374f, 0.4238550485581797f, 0.6063932141279244f, 0.019193198309333526f,
    0.30157481667454933f, 0.660173537492685f, 0.29007760721044407f, 0.6180154289988415f,
    0.42876870094576613f, 0.13547406422245023f, 0.29828232595603077f
  };
  private static final short[] SEG = {
    2, 0, 0, 0, 2, 1, -1, -1, 0, -1, 2, 1, 2, 2, 1, -1, 1, 2, 1, 1, 0, 0, 2, 2, -1, 2, -1, -1,
    1, 1, 2, 0, 0, -1, 2, -1, 1, 2, 2, 0, 2, 0, 2, 1, -1, 0, 0, 2, 2, 2, 0, 0, 0, 2, 2, 1, 1, 1,
    -1, 2, 2, 0, 1, 2, 0, 2, 2, 0, 0, 0, -1, 1, 1, -1, 0, 0, -1, 2, -1, -1, 2, 1, 0, 1, 0, 1,
    -1, 1, -1, 0, 0, 0, -1, 2, -1, 2, -1, -1, -1
  };
  private static final double[] EXPECTED_IMAGE = {
    0.11456339882535085, 0.18448150012513953, 0.4873224734813968, 0.26034044441089504,
    0.6007995686195132, 0.3301698927630721, 0.0007771529948007568, 0.58483877274395,
    0.3672437011406371, 0.44222186374872813, 0.4908921743958736, 0.5000861524071448,
    0.7705201420958918, 0.6239615373006281, 0.8669727252276631, 0.4890997717516144,
    0.4441104148999516, 0.6895423701476668, 0.5737559887031405, 0.22513343941351013,
    0.1639996831386628, 0.6292171552881034, 0.42665463867400333, 0.3576213973454911,
    0.39652732046379824, 0.398512906535891, 0.16123204608885128, 0.5448501247050568,
    0.09600434267814878, 0.7337440796573282, 0.6109075655310153, 0.4617316771498346,
    0.2895086024618815, 0.21764177912789473, 0.1724679279291224, 0.0006191164921054337,
    0.5214298777283858, 0.6883073138629162, 0.48776321924350075, 0.854840917852967,
    0.1632088246271431, 0.8425021325335462
  };
  private static final short[] EXPECTED_SEG = {
    -1, 2, -1, 2, -1, 1, -1, 1, 0, 1, 2, -1, 2, -1, 0, -1, 2, 2, 0, 1, 1, -1, 0, 2, 2, 0, 2, 2,
    0, 1, 1, 1, 1, 0, 2, -1, 2, 1, 0, 0, 0, 2
  };

  @Test
  void rotationAndScalingMatchTheReferenceResampling() {
    Sample s = new Sample("ref", 1, 9, 11, IMAGE.clone(), SEG.clone());
    new SpatialTransform(6, 7, Math.PI).resample(s, 0.7, 1.3);
    assertEquals(6, s.height());
    assertEquals(7, s.width());
    for (int i = 0; i < EXPECTED_IMAGE.length; i++) {
      assertEquals(EXPECTED_IMAGE[i], s.image()[i], 1e-5, "pixel " + i);
    }
    assertArrayEquals(EXPECTED_SEG, s.seg());
  }

  @Test
  void noRotationAndUnitScaleEqualsTheCentreCrop() {
    Sample a = SampleFixtures.random(2, 20, 22, 1);
    Sample b = SampleFixtures.copy(a);
    SpatialTransform t = new SpatialTransform(12, 14, Math.PI);
    t.resample(a, 0, 1);
    t.centreCrop(b);
    assertArrayEquals(b.image(), a.image());
    assertArrayEquals(b.seg(), a.seg());
    // the centre crop starts at floor(20/2) - 12/2 = 4 and floor(22/2) - 14/2 = 4
    Sample original = SampleFixtures.random(2, 20, 22, 1);
    assertEquals(original.image()[20 * 22 + 4 * 22 + 4], b.image()[12 * 14], 0f);
  }

  @Test
  void halfTurnMirrorsTheCentreCropAboutItsCentre() {
    Sample a = SampleFixtures.random(1, 16, 18, 2);
    Sample b = SampleFixtures.copy(a);
    SpatialTransform t = new SpatialTransform(10, 12, Math.PI);
    t.resample(a, Math.PI, 1);
    t.centreCrop(b);
    Mirror.flip(b, 0);
    Mirror.flip(b, 1);
    for (int i = 0; i < a.image().length; i++) {
      assertEquals(b.image()[i], a.image()[i], 1e-5, "pixel " + i);
    }
    assertArrayEquals(b.seg(), a.seg());
  }

  @Test
  void zoomingOutReachesPastTheInputAndMarksItMinusOne() {
    Sample s = SampleFixtures.random(1, 10, 10, 3);
    java.util.Arrays.fill(s.seg(), (short) 0);
    new SpatialTransform(10, 10, Math.PI).resample(s, Math.PI / 4, 1.4);
    // corner (0,0) samples about 8.9 px from the centre along a diagonal turned onto an axis
    assertEquals(-1, s.seg()[0]);
    assertEquals(0f, s.image()[0], 0f);
    assertEquals(0, s.seg()[5 * 10 + 5]);
  }

  @Test
  void labelsStayWithinTheInputLabelsAndMinusOne() {
    SplittableRandom rng = new SplittableRandom(4);
    SpatialTransform t = new SpatialTransform(24, 24, Math.PI);
    for (int k = 0; k < 20; k++) {
      Sample s = SampleFixtures.random(1, 28, 28, k);
      Set<Short> before = labels(s.seg());
      t.resample(s, (rng.nextDouble() * 2 - 1) * Math.PI, 0.7 + 0.7 * rng.nextDouble());
      Set<Short> allowed = new HashSet<>(before);
      allowed.add((short) -1);
      assertTrue(allowed.containsAll(labels(s.seg())), "labels " + labels(s.seg()) + " from " + before);
    }
  }

  @Test
  void rotationOrScalingHappensWithProbabilityPointThreeSix() {
    SpatialTransform t = new SpatialTransform(6, 6, Math.PI);
    SplittableRandom rng = new SplittableRandom(5);
    Sample reference = SampleFixtures.random(1, 10, 10, 6);
    Sample crop = SampleFixtures.copy(reference);
    t.centreCrop(crop);
    int changed = 0;
    int runs = 3000;
    for (int i = 0; i < runs; i++) {
      Sample s = SampleFixtures.copy(reference);
      t.apply(s, rng);
      if (!java.util.Arrays.equals(s.image(), crop.image())) {
        changed++;
      }
    }
    // 1 - 0.8 * 0.8 = 0.36: mean 1080, sd 26
    assertTrue(Math.abs(changed - 1080) < 135, "changed " + changed);
  }

  @Test
  void argmaxTiesGoToTheLowestLabel() {
    assertEquals(1, SpatialTransform.argmax((short) 2, 0.25f, (short) 1, 0.25f, (short) 2, 0.25f, (short) 1, 0.25f));
    assertEquals(-1, SpatialTransform.argmax((short) 0, 0.5f, (short) -1, 0.5f, (short) 0, 0f, (short) -1, 0f));
    assertEquals(2, SpatialTransform.argmax((short) 0, 0.3f, (short) 1, 0.3f, (short) 2, 0.4f, (short) 0, 0f));
    // 0.30004 and 0.29996 round to the same float16 score (300) and tie
    assertEquals(0, SpatialTransform.argmax((short) 1, 0.30004f, (short) 0, 0.29996f, (short) 2, 0.2f, (short) 3, 0.2f));
  }

  private static Set<Short> labels(short[] seg) {
    Set<Short> out = new HashSet<>();
    for (short v : seg) {
      out.add(v);
    }
    return out;
  }
}
