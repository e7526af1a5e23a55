package org.segflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class DurationConverterTest {

  private final DurationConverter c = new DurationConverter();

  @Test
  void readsHumanAndIsoDurations() {
    assertEquals(Duration.ofMillis(500), c.convert("500ms"));
    assertEquals(Duration.ofSeconds(2), c.convert("2s"));
    assertEquals(Duration.ofMinutes(5), c.convert("5m"));
    assertEquals(Duration.ofHours(1), c.convert("1h"));
    assertEquals(Duration.ofDays(3), c.convert("3d"));
    assertEquals(Duration.ofMillis(1500), c.convert("PT1.5S"));
  }

  @Test
  void rejectsOtherTextClearly() {
    TypeConversionException e = assertThrows(TypeConversionException.class, () -> c.convert("soon"));
    assertEquals("'soon' is not a duration: use e.g. 500ms, 2s, 5m, 1h, 3d or PT2S", e.getMessage());
  }
}
