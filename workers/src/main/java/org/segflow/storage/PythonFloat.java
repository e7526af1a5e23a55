package org.segflow.storage;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializable;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * A float64 that serializes as Python's {@code json} module writes floats ({@code repr}: the shortest
 * round-tripping digits, fixed notation for exponents -4..15, {@code 1e-05} style otherwise, bare
 * NaN). Java's {@code Double.toString} would write e.g. a mean TN of 12212345.0 as 1.2212345E7.
 */
public record PythonFloat(double value) implements JsonSerializable {

  @Override
  public void serialize(JsonGenerator gen, SerializerProvider provider) throws IOException {
    gen.writeRawValue(repr(value));
  }

  @Override
  public void serializeWithType(JsonGenerator gen, SerializerProvider provider, TypeSerializer ts)
      throws IOException {
    serialize(gen, provider);
  }

  @Override
  public String toString() {
    return repr(value);
  }

  /** Python's {@code json.dumps(float)} text for {@code v}. */
  public static String repr(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "Infinity" : "-Infinity";
    }
    if (v == 0) {
      return (1 / v < 0) ? "-0.0" : "0.0";
    }
    BigDecimal shortest = shortestDigits(v);
    String digits = shortest.unscaledValue().abs().toString();
    int exponent = digits.length() - shortest.scale() - 1; // scientific exponent of the first digit
    StringBuilder sb = new StringBuilder(24);
    if (v < 0) {
      sb.append('-');
    }
    if (exponent >= -4 && exponent < 16) {
      if (exponent >= 0) {
        if (digits.length() <= exponent + 1) {
          sb.append(digits).append("0".repeat(exponent + 1 - digits.length())).append(".0");
        } else {
          sb.append(digits, 0, exponent + 1).append('.').append(digits, exponent + 1, digits.length());
        }
      } else {
        sb.append("0.").append("0".repeat(-exponent - 1)).append(digits);
      }
    } else {
      sb.append(digits.charAt(0));
      if (digits.length() > 1) {
        sb.append('.').append(digits, 1, digits.length());
      }
      sb.append('e').append(exponent < 0 ? '-' : '+');
      int abs = Math.abs(exponent);
      if (abs < 10) {
        sb.append('0');
      }
      sb.append(abs);
    }
    return sb.toString();
  }

  /** The fewest significant digits that read back as {@code v} (nearest such decimal). */
  private static BigDecimal shortestDigits(double v) {
    BigDecimal exact = new BigDecimal(v);
    for (int precision = 1; precision < 17; precision++) {
      BigDecimal r = exact.round(new MathContext(precision, RoundingMode.HALF_EVEN));
      if (r.doubleValue() == v) {
        return r.stripTrailingZeros();
      }
    }
    return exact.round(new MathContext(17, RoundingMode.HALF_EVEN)).stripTrailingZeros();
  }
}
