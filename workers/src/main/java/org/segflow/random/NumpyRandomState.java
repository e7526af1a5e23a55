package org.segflow.random;

/**
 * numpy's legacy {@code np.random.RandomState(seed)}: MT19937 with numpy's seeding and its legacy
 * bounded-integer, shuffle and permutation algorithms, so that fingerprint samples, class locations
 * and cross-validation splits draw exactly what nnU-Net draws for the same seed.
 */
public final class NumpyRandomState {

  private static final int N = 624;
  private static final int M = 397;

  private final int[] mt = new int[N];
  private int pos;

  public NumpyRandomState(long seed) {
    if (seed < 0 || seed > 0xFFFFFFFFL) {
      throw new IllegalArgumentException("seed must be in [0, 2^32): " + seed);
    }
    int s = (int) seed;
    for (int i = 0; i < N; i++) {
      mt[i] = s;
      s = 1812433253 * (s ^ (s >>> 30)) + i + 1;
    }
    pos = N;
  }

  /** The next raw 32-bit output, as an unsigned value in a long. */
  public long nextUint32() {
    if (pos >= N) {
      generate();
    }
    int y = mt[pos++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y & 0xFFFFFFFFL;
  }

  /** {@code random_sample()}: a double in [0, 1) with 53 random bits. */
  public double nextDouble() {
    long a = nextUint32() >>> 5;
    long b = nextUint32() >>> 6;
    return (a * 67108864.0 + b) / 9007199254740992.0;
  }

  /** {@code randint(0, high, size)} for high up to 2^32, numpy's masked rejection sampling. */
  public long[] randint(long high, int size) {
    if (high < 1 || high > 0x1_0000_0000L) {
      throw new IllegalArgumentException("high out of range: " + high);
    }
    long[] out = new long[size];
    long rng = high - 1;
    if (rng == 0) {
      return out;
    }
    long mask = mask(rng);
    for (int i = 0; i < size; i++) {
      out[i] = bounded(rng, mask);
    }
    return out;
  }

  /** A uniform integer in [0, max], numpy's {@code random_interval}, used by shuffle. */
  public long interval(long max) {
    if (max == 0) {
      return 0;
    }
    if (max > 0xFFFFFFFFL) {
      throw new IllegalArgumentException("interval above 2^32 is not needed here: " + max);
    }
    return bounded(max, mask(max));
  }

  /** In-place legacy {@code shuffle} of a 1-D array. */
  public void shuffle(int[] a) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = (int) interval(i);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  /** {@code permutation(n)}: a shuffled arange(n). */
  public int[] permutation(int n) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = i;
    }
    shuffle(a);
    return a;
  }

  /** {@code choice(n, k, replace=False)} with no weights: the first k of a permutation. */
  public int[] choiceWithoutReplacement(int n, int k) {
    if (k > n) {
      throw new IllegalArgumentException("cannot take " + k + " of " + n + " without replacement");
    }
    int[] p = permutation(n);
    return k == n ? p : java.util.Arrays.copyOf(p, k);
  }

  private long bounded(long rng, long mask) {
    if (rng == 0xFFFFFFFFL) {
      return nextUint32();
    }
    long v;
    do {
      v = nextUint32() & mask;
    } while (v > rng);
    return v;
  }

  private static long mask(long max) {
    long mask = max;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    mask |= mask >>> 32;
    return mask;
  }

  private void generate() {
    for (int i = 0; i < N; i++) {
      int y = (mt[i] & 0x80000000) | (mt[(i + 1) % N] & 0x7fffffff);
      int next = mt[(i + M) % N] ^ (y >>> 1);
      if ((y & 1) != 0) {
        next ^= 0x9908b0df;
      }
      mt[i] = next;
    }
    pos = 0;
  }
}
