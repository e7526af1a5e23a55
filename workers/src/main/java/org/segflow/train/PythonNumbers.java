package org.segflow.train;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Numbers printed as nnU-Net's Python prints {@code np.round(x, decimals)}: "0.01", "-0.6699", "1.0". */
final class PythonNumbers {

  private PythonNumbers() {}

  static String round(double value, int decimals) {
    if (Double.isNaN(value)) {
      return "nan";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "inf" : "-inf";
    }
    String s = BigDecimal.valueOf(value).setScale(decimals, RoundingMode.HALF_EVEN)
        .stripTrailingZeros().toPlainString();
    if (s.equals("-0")) {
      s = "-0.0";
    }
    return s.contains(".") ? s : s + ".0";
  }
}
