package org.segflow.evaluate;

import org.segflow.storage.PythonFloat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Expected values were printed by Python 3 / numpy 2.4 (json.dumps, np.sum, np.nanmean). */
class NumericFormatTest {

  @Test
  void floatsAreWrittenAsPythonsJsonWritesThem() {
    assertEquals("0.8", PythonFloat.repr(0.8));
    assertEquals("1.0", PythonFloat.repr(1.0));
    assertEquals("0.0", PythonFloat.repr(0.0));
    assertEquals("12212345.0", PythonFloat.repr(12212345.0));
    assertEquals("1e+16", PythonFloat.repr(1e16));
    assertEquals("1000000000000000.0", PythonFloat.repr(1e15));
    assertEquals("0.0001", PythonFloat.repr(0.0001));
    assertEquals("1e-05", PythonFloat.repr(0.00001));
    assertEquals("1.5e-05", PythonFloat.repr(1.5e-5));
    assertEquals("2.5e-05", PythonFloat.repr(2.5e-5));
    assertEquals("0.000123", PythonFloat.repr(0.000123));
    assertEquals("0.30000000000000004", PythonFloat.repr(0.1 + 0.2));
    assertEquals("0.6666666666666666", PythonFloat.repr(2.0 / 3));
    assertEquals("0.7999999999999999", PythonFloat.repr(0.1 + 0.7));
    assertEquals("123456789012.5", PythonFloat.repr(123456789012.5));
    assertEquals("-0.5", PythonFloat.repr(-0.5));
    assertEquals("100.0", PythonFloat.repr(100.0));
    assertEquals("5e-324", PythonFloat.repr(Double.MIN_VALUE));
    assertEquals("1.7976931348623157e+308", PythonFloat.repr(Double.MAX_VALUE));
    assertEquals("1e+22", PythonFloat.repr(1e22));
    assertEquals("1e+23", PythonFloat.repr(9.999999999999999e22));
    assertEquals("NaN", PythonFloat.repr(Double.NaN));
  }

  @Test
  void sumsAreNumpysPairwiseSums() {
    double[] a = new double[1000];
    for (int i = 0; i < a.length; i++) {
      a[i] = Math.sin(i * 0.37);
    }
    assertEquals(0.967145639886523, NumpySum.sum(a), 0.0); // a plain loop gives ...8865226
    double[] b = new double[299];
    for (int i = 0; i < b.length; i++) {
      b[i] = (i + 1) * 0.1;
    }
    assertEquals(4485.0, NumpySum.sum(b), 0.0);
  }

  @Test
  void nanMeanSkipsNanAndMeanDoesNot() {
    double nan = Double.NaN;
    double[] c = {0.1, nan, 0.7, 0.3, nan, 0.2, 0.9, 0.11, 0.5, 0.12};
    assertEquals(0.36625, NumpySum.nanMean(c), 0.0);
    assertEquals(nan, NumpySum.mean(c));
    assertEquals(nan, NumpySum.nanMean(new double[] {nan, nan}));
    assertEquals(nan, NumpySum.mean(new double[0]));
  }
}
