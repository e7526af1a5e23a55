package org.segflow.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.segflow.InvalidInputException;
import org.segflow.storage.AtomicFiles;

/**
 * numpy's {@code .npy} format and {@code .npz} archives, so that arrays written here open with
 * {@code numpy.load} and arrays written by numpy open here.
 *
 * <p>Writing produces the bytes {@code numpy.save} produces (numpy 2.x): magic {@code \x93NUMPY},
 * version 1.0, a little-endian uint16 header length, then the header dict
 * {@code {'descr': '<f4', 'fortran_order': False, 'shape': (3, 1, 5, 7), }} followed by numpy's
 * spare growth spaces, padded with spaces and a final {@code \n} so that the data starts at a multiple
 * of 64 bytes; the data follow in C order, little-endian. Reading accepts versions 1.0 to 3.0 and
 * either byte order; Fortran order is rejected.
 *
 * <p>An {@code .npz} is a zip of {@code KEY.npy} entries, stored or deflated. Entries are written in
 * key order with a fixed 1980-01-01 timestamp, so the same arrays give byte-identical archives
 * (numpy stamps the current time instead).
 */
public final class NpyFile {

  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final int ALIGN = 64;
  /** numpy leaves room for the first axis to grow to 21 digits without rewriting the file. */
  private static final int GROWTH_AXIS_MAX_DIGITS = 21;
  private static final LocalDateTime ZIP_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);
  private static final Pattern DESCR = Pattern.compile("['\"]descr['\"]\\s*:\\s*['\"]([^'\"]*)['\"]");
  private static final Pattern FORTRAN =
      Pattern.compile("['\"]fortran_order['\"]\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("['\"]shape['\"]\\s*:\\s*\\(([^)]*)\\)");

  private NpyFile() {}

  /** The element types supported; names are numpy's little-endian type strings. */
  public enum DType {
    FLOAT32("<f4", 4),
    INT32("<i4", 4),
    INT16("<i2", 2),
    INT8("|i1", 1),
    UINT8("|u1", 1);

    private final String descr;
    private final int size;

    DType(String descr, int size) {
      this.descr = descr;
      this.size = size;
    }

    public String descr() {
      return descr;
    }

    public int size() {
      return size;
    }
  }

  /**
   * An n-d array: its type, its shape and its elements in C order as little-endian bytes. Typed
   * views ({@link #floats()}, ...) decode a copy.
   */
  public record NpyArray(DType dtype, int[] shape, byte[] data) {

    public NpyArray {
      shape = shape.clone();
      long n = elementCount(shape);
      if (n * dtype.size() != data.length) {
        throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " of " + dtype
            + " needs " + n * dtype.size() + " bytes, got " + data.length);
      }
    }

    public static NpyArray ofFloats(float[] values, int... shape) {
      ByteBuffer b = buffer(values.length * 4L);
      b.asFloatBuffer().put(values);
      return new NpyArray(DType.FLOAT32, shape, b.array());
    }

    public static NpyArray ofInts(int[] values, int... shape) {
      ByteBuffer b = buffer(values.length * 4L);
      b.asIntBuffer().put(values);
      return new NpyArray(DType.INT32, shape, b.array());
    }

    public static NpyArray ofShorts(short[] values, int... shape) {
      ByteBuffer b = buffer(values.length * 2L);
      b.asShortBuffer().put(values);
      return new NpyArray(DType.INT16, shape, b.array());
    }

    /** Bytes as uint8 ({@code |u1}) or int8 ({@code |i1}). */
    public static NpyArray ofBytes(DType dtype, byte[] values, int... shape) {
      if (dtype.size() != 1) {
        throw new IllegalArgumentException(dtype + " is not a one-byte type");
      }
      return new NpyArray(dtype, shape, values.clone());
    }

    public int[] shape() {
      return shape.clone();
    }

    public long size() {
      return elementCount(shape);
    }

    public float[] floats() {
      require(DType.FLOAT32);
      float[] out = new float[(int) size()];
      view().asFloatBuffer().get(out);
      return out;
    }

    public int[] ints() {
      require(DType.INT32);
      int[] out = new int[(int) size()];
      view().asIntBuffer().get(out);
      return out;
    }

    public short[] shorts() {
      require(DType.INT16);
      short[] out = new short[(int) size()];
      view().asShortBuffer().get(out);
      return out;
    }

    /** The raw bytes of a uint8 or int8 array. */
    public byte[] bytes() {
      if (dtype.size() != 1) {
        throw new IllegalStateException("array is " + dtype + ", not a one-byte type");
      }
      return data.clone();
    }

    private void require(DType expected) {
      if (dtype != expected) {
        throw new IllegalStateException("array is " + dtype + ", not " + expected);
      }
    }

    private ByteBuffer view() {
      return ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof NpyArray a && a.dtype == dtype && Arrays.equals(a.shape, shape)
          && Arrays.equals(a.data, data);
    }

    @Override
    public int hashCode() {
      return 31 * (31 * dtype.hashCode() + Arrays.hashCode(shape)) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
      return "NpyArray[" + dtype.descr() + " " + shapeRepr(shape) + "]";
    }
  }

  /** The complete .npy file content. */
  public static byte[] toBytes(NpyArray array) {
    byte[] header = header(array.dtype(), array.shape);
    byte[] out = Arrays.copyOf(header, header.length + array.data().length);
    System.arraycopy(array.data(), 0, out, header.length, array.data().length);
    return out;
  }

  /** Writes atomically: readers never see a partial file. */
  public static void write(Path file, NpyArray array) {
    AtomicFiles.write(file, toBytes(array));
  }

  public static NpyArray read(Path file) {
    try {
      return fromBytes(Files.readAllBytes(file), file.toString());
    } catch (NoSuchFileException e) {
      throw new InvalidInputException(file, "file not found");
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + file, e);
    }
  }

  /** Parses .npy bytes; {@code source} names them in error messages. */
  public static NpyArray fromBytes(byte[] bytes, String source) {
    if (bytes.length < 10 || !Arrays.equals(Arrays.copyOf(bytes, 6), MAGIC)) {
      throw bad(source, "not a .npy file (missing \\x93NUMPY magic)");
    }
    int major = bytes[6] & 0xff;
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    long headerLength;
    int headerStart;
    if (major == 1) {
      headerLength = b.getShort(8) & 0xffff;
      headerStart = 10;
    } else if (major == 2 || major == 3) {
      headerLength = b.getInt(8) & 0xffffffffL;
      headerStart = 12;
    } else {
      throw bad(source, "unsupported .npy version " + major + "." + (bytes[7] & 0xff));
    }
    if (headerStart + headerLength > bytes.length) {
      throw bad(source, "truncated header");
    }
    String header = new String(bytes, headerStart, (int) headerLength,
        major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    String descr = field(DESCR, header, "descr", source);
    if (field(FORTRAN, header, "fortran_order", source).equals("True")) {
      throw bad(source, "Fortran-ordered arrays are not supported; save with C order");
    }
    int[] shape = parseShape(field(SHAPE, header, "shape", source), source);
    DType dtype = dtypeOf(descr);
    if (dtype == null) {
      throw bad(source, "unsupported dtype '" + descr + "'; supported: <f4, <i4, <i2, |i1, |u1");
    }
    boolean bigEndian = descr.charAt(0) == '>';
    int dataStart = headerStart + (int) headerLength;
    long expected = elementCount(shape) * dtype.size();
    if (bytes.length - dataStart != expected) {
      throw bad(source, "shape " + shapeRepr(shape) + " of " + descr + " needs " + expected
          + " data bytes, file has " + (bytes.length - dataStart));
    }
    byte[] data = Arrays.copyOfRange(bytes, dataStart, bytes.length);
    if (bigEndian && dtype.size() > 1) {
      swapBytes(data, dtype.size());
    }
    return new NpyArray(dtype, shape, data);
  }

  /**
   * Writes an .npz archive atomically: one {@code KEY.npy} entry per array, in key order,
   * deflated ({@code np.savez_compressed}) or stored ({@code np.savez}).
   */
  public static void writeNpz(Path file, Map<String, NpyArray> arrays, boolean compressed) {
    AtomicFiles.write(file, tmp -> {
      try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(tmp))) {
        for (Map.Entry<String, NpyArray> e : new TreeMap<>(arrays).entrySet()) {
          byte[] content = toBytes(e.getValue());
          ZipEntry entry = new ZipEntry(e.getKey() + ".npy");
          entry.setTimeLocal(ZIP_TIME);
          if (compressed) {
            entry.setMethod(ZipEntry.DEFLATED);
          } else {
            CRC32 crc = new CRC32();
            crc.update(content);
            entry.setMethod(ZipEntry.STORED);
            entry.setSize(content.length);
            entry.setCompressedSize(content.length);
            entry.setCrc(crc.getValue());
          }
          zip.putNextEntry(entry);
          zip.write(content);
          zip.closeEntry();
        }
      }
    });
  }

  /** Reads every {@code .npy} entry of an .npz archive; keys are entry names without ".npy". */
  public static Map<String, NpyArray> readNpz(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new InvalidInputException(file, "file not found");
    }
    Map<String, NpyArray> out = new LinkedHashMap<>();
    try (ZipFile zip = new ZipFile(file.toFile())) {
      for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements(); ) {
        ZipEntry entry = en.nextElement();
        String name = entry.getName();
        if (entry.isDirectory() || !name.endsWith(".npy")) {
          continue;
        }
        try (InputStream in = zip.getInputStream(entry)) {
          out.put(name.substring(0, name.length() - 4), fromBytes(readAll(in), file + "!" + name));
        }
      }
    } catch (java.util.zip.ZipException e) {
      throw new InvalidInputException(file, "not a valid .npz (zip) archive: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + file, e);
    }
    return Collections.unmodifiableMap(out);
  }

  /** The header numpy writes for this dtype and shape (version 1.0, 64-byte aligned). */
  static byte[] header(DType dtype, int[] shape) {
    StringBuilder dict = new StringBuilder()
        .append("{'descr': '").append(dtype.descr())
        .append("', 'fortran_order': False, 'shape': ").append(shapeRepr(shape)).append(", }");
    if (shape.length > 0) {
      dict.append(" ".repeat(GROWTH_AXIS_MAX_DIGITS - String.valueOf(shape[0]).length()));
    }
    int withNewline = dict.length() + 1;
    int pad = ALIGN - ((MAGIC.length + 4 + withNewline) % ALIGN);
    dict.append(" ".repeat(pad)).append('\n');
    int headerLength = dict.length();
    if (headerLength > 0xffff) {
      throw new IllegalArgumentException("header too long for .npy version 1.0: " + headerLength);
    }
    byte[] text = dict.toString().getBytes(StandardCharsets.ISO_8859_1);
    ByteBuffer b = ByteBuffer.allocate(MAGIC.length + 4 + text.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) headerLength).put(text);
    return b.array();
  }

  /** Python's repr of a shape tuple: {@code ()}, {@code (5,)}, {@code (3, 1, 5, 7)}. */
  static String shapeRepr(int[] shape) {
    if (shape.length == 1) {
      return "(" + shape[0] + ",)";
    }
    StringBuilder s = new StringBuilder("(");
    for (int i = 0; i < shape.length; i++) {
      s.append(i == 0 ? "" : ", ").append(shape[i]);
    }
    return s.append(')').toString();
  }

  /** Either byte order is accepted; one-byte types may carry any order mark. */
  private static DType dtypeOf(String descr) {
    if (descr.length() != 3 || "<>|=".indexOf(descr.charAt(0)) < 0) {
      return null;
    }
    String kind = descr.substring(1);
    for (DType t : DType.values()) {
      if (t.descr().substring(1).equals(kind)) {
        return t;
      }
    }
    return null;
  }

  private static long elementCount(int[] shape) {
    long n = 1;
    for (int d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
      }
      n *= d;
    }
    if (n > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("array too large for a Java array: " + n + " elements");
    }
    return n;
  }

  private static int[] parseShape(String inner, String source) {
    String[] parts = inner.split(",");
    int count = 0;
    int[] dims = new int[parts.length];
    for (String p : parts) {
      String t = p.trim();
      if (t.isEmpty()) {
        continue;
      }
      try {
        dims[count++] = Integer.parseInt(t.endsWith("L") ? t.substring(0, t.length() - 1) : t);
      } catch (NumberFormatException e) {
        throw bad(source, "bad shape (" + inner + ")");
      }
    }
    return Arrays.copyOf(dims, count);
  }

  private static String field(Pattern p, String header, String name, String source) {
    Matcher m = p.matcher(header);
    if (!m.find()) {
      throw bad(source, "header has no '" + name + "': " + header.trim());
    }
    return m.group(1);
  }

  private static void swapBytes(byte[] data, int size) {
    for (int i = 0; i < data.length; i += size) {
      for (int a = i, z = i + size - 1; a < z; a++, z--) {
        byte t = data[a];
        data[a] = data[z];
        data[z] = t;
      }
    }
  }

  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    in.transferTo(out);
    return out.toByteArray();
  }

  private static ByteBuffer buffer(long bytes) {
    if (bytes > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("array too large: " + bytes + " bytes");
    }
    return ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static InvalidInputException bad(String source, String message) {
    return new InvalidInputException(source + ": " + message);
  }
}
