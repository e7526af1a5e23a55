package org.segflow.storage;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.segflow.InvalidInputException;

/**
 * JSON as nnU-Net writes it (4-space indent, {@code "key": value}), deterministic so that re-running a
 * step on the same input gives byte-identical files.
 */
public final class Json {

  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      // NaN is written bare, as Python's json module does (nnU-Net's summary.json has NaN Dice)
      .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .addModule(pythonFloats())
      .build();

  private static final DefaultPrettyPrinter PRINTER = new PythonStylePrinter();

  private Json() {}

  public static ObjectMapper mapper() {
    return MAPPER;
  }

  public static String write(Object value) {
    try {
      return MAPPER.writer(PRINTER).writeValueAsString(value) + "\n";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes atomically: readers never see a half-written file. */
  public static void write(Path file, Object value) {
    AtomicFiles.write(file, write(value).getBytes(StandardCharsets.UTF_8));
  }

  public static <T> T read(Path file, Class<T> type) {
    try {
      return MAPPER.readValue(file.toFile(), type);
    } catch (java.nio.file.NoSuchFileException | java.io.FileNotFoundException e) {
      throw new InvalidInputException(file, "file not found");
    } catch (IOException e) {
      throw new InvalidInputException(file, "not valid JSON for " + type.getSimpleName() + ": "
          + e.getMessage(), e);
    }
  }

  /** Doubles as Python's json module writes them ("1e-05", "12212345.0"), so our files read like nnU-Net's. */
  private static SimpleModule pythonFloats() {
    JsonSerializer<Double> repr = new JsonSerializer<>() {
      @Override
      public void serialize(Double v, JsonGenerator gen, SerializerProvider provider) throws IOException {
        gen.writeRawValue(PythonFloat.repr(v));
      }
    };
    SimpleModule module = new SimpleModule("python-floats");
    module.addSerializer(Double.class, repr);
    module.addSerializer(Double.TYPE, repr);
    return module;
  }

  private static final class PythonStylePrinter extends DefaultPrettyPrinter {
    PythonStylePrinter() {
      DefaultIndenter indenter = new DefaultIndenter("    ", "\n");
      indentObjectsWith(indenter);
      indentArraysWith(indenter);
      _objectFieldValueSeparatorWithSpaces = ": ";
    }

    PythonStylePrinter(PythonStylePrinter base) {
      super(base);
      _objectFieldValueSeparatorWithSpaces = ": ";
    }

    @Override
    public DefaultPrettyPrinter createInstance() {
      return new PythonStylePrinter(this);
    }
  }
}
