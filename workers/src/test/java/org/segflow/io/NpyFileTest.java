package org.segflow.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segflow.InvalidInputException;
import org.segflow.io.NpyFile.DType;
import org.segflow.io.NpyFile.NpyArray;

class NpyFileTest {

  @TempDir
  Path dir;

  /** The header numpy.save (numpy 2.4) writes: dict, 21 - len(str(shape[0])) spare spaces, padding. */
  private static String numpyHeader(String dict, int totalLength) {
    return dict + " ".repeat(totalLength - 10 - dict.length() - 1) + "\n";
  }

  private static String headerText(byte[] header) {
    return new String(header, 10, header.length - 10, StandardCharsets.ISO_8859_1);
  }

  // Total header lengths (all 128 bytes here) were printed by numpy 2.4 for the same dtypes and shapes.
  @Test
  void headerIsByteIdenticalToNumpySave() {
    byte[] h = NpyFile.header(DType.FLOAT32, new int[] {3, 1, 5, 7});
    assertEquals(128, h.length);
    assertArrayEquals(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 'v', 0},
        Arrays.copyOf(h, 10));
    assertEquals(numpyHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 1, 5, 7), }", 128),
        headerText(h));
    assertEquals(numpyHeader("{'descr': '<i2', 'fortran_order': False, 'shape': (1, 1, 5, 7), }", 128),
        headerText(NpyFile.header(DType.INT16, new int[] {1, 1, 5, 7})));
    assertEquals(numpyHeader("{'descr': '<i4', 'fortran_order': False, 'shape': (0, 3), }", 128),
        headerText(NpyFile.header(DType.INT32, new int[] {0, 3})));
    assertEquals(numpyHeader("{'descr': '|u1', 'fortran_order': False, 'shape': (4,), }", 128),
        headerText(NpyFile.header(DType.UINT8, new int[] {4})));
    assertEquals(numpyHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (), }", 128),
        headerText(NpyFile.header(DType.FLOAT32, new int[0])));
    byte[] longShape = NpyFile.header(DType.INT16, new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 1, 1, 1, 1});
    assertEquals(128, longShape.length);
    assertEquals(numpyHeader(
        "{'descr': '<i2', 'fortran_order': False, 'shape': (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 1, 1, 1, 1), }",
        128), headerText(longShape));
  }

  @Test
  void roundTripsEveryType(@TempDir Path tmp) {
    List<NpyArray> arrays = List.of(
        NpyArray.ofFloats(new float[] {1.5f, -2f, Float.MIN_VALUE, 3e30f, 0, 7, 8, 9, 10, 11, 12, 13}, 2, 1, 2, 3),
        NpyArray.ofShorts(new short[] {-1, 0, 1, 2, Short.MAX_VALUE, Short.MIN_VALUE}, 1, 1, 2, 3),
        NpyArray.ofInts(new int[] {1, 2, 3, Integer.MIN_VALUE, 5, 6}, 2, 3),
        NpyArray.ofBytes(DType.UINT8, new byte[] {0, (byte) 255, 7}, 3),
        NpyArray.ofBytes(DType.INT8, new byte[] {-1, 0, 1}, 3),
        NpyArray.ofInts(new int[0], 0, 3));
    for (NpyArray a : arrays) {
      Path f = tmp.resolve("a.npy");
      NpyFile.write(f, a);
      assertEquals(a, NpyFile.read(f));
    }
    float[] floats = NpyFile.read(writeFloats(tmp)).floats();
    assertEquals(-2f, floats[1]);
  }

  private static Path writeFloats(Path tmp) {
    Path f = tmp.resolve("f.npy");
    NpyFile.write(f, NpyArray.ofFloats(new float[] {1, -2}, 2));
    return f;
  }

  @Test
  void dataIsLittleEndianAfterTheAlignedHeader() {
    byte[] bytes = NpyFile.toBytes(NpyArray.ofShorts(new short[] {0x0102, -2}, 2));
    assertEquals(128 + 4, bytes.length);
    assertArrayEquals(new byte[] {2, 1, (byte) 0xfe, (byte) 0xff}, Arrays.copyOfRange(bytes, 128, 132));
  }

  /**
   * Written by numpy 2.4: np.savez_compressed(probabilities=arange(12, float32).reshape(2,1,2,3)/8,
   * seg=int8 [[[[-1,0,1],[2,0,-1]]]], big=big-endian int32 [1,-2,300], u=uint8 [0,255,7]).
   */
  private static final String NUMPY_NPZ = "UEsDBC0AAAAIAAAAIQDeFSut//////////8RABQAcHJvYmFiaWxpdGllcy5ucHkBABAAsAAAAAAAAABrAAAAAAAAAJvsF+obEMnIUMZQrZ6SWpxcpG6loG6TZqKuo6Cell9UUpSYF59flJIKEndLzClOBYoXZyQWpAL5GkY6CoY6CkDSWFNHoVaBDMDFAAF2DAwNQHwAiBnsGRgUgNgBiBOAuAGIJwDxAiDeYA8AUEsDBC0AAAAIAAAAIQB1RdGA//////////8HABQAc2VnLm5weQEAEACGAAAAAAAAAFEAAAAAAAAAm+wX6hsQychQxlCtnpJanFykbqWgXpNpqK6joJ6WX1RSlJgXn1+UkgoSd0vMKU4FihdnJBakAvkahjoKQGSko2CsqaNQq0AG4PrPwMjE8B8AUEsDBC0AAAAIAAAAIQBMyB+B//////////8HABQAYmlnLm5weQEAEACMAAAAAAAAAE8AAAAAAAAAm+wX6hsQychQxlCtnpJanFykbqWgbpdpoq6joJ6WX1RSlJgXn1+UkgoSd0vMKU4FihdnJBakAvkaxjqaOgq1ChQALgYGBsb/////A1I6AFBLAwQtAAAACAAAACEA9NIzFv//////////BQAUAHUubnB5AQAQAIMAAAAAAAAARwAAAAAAAACb7BfqGxDJyFDGUK2eklqcXKRupaBeU2qorqOgnpZfVFKUmBefX5SSChJ3S8wpTgWKF2ckFqQC+RrGOpo6CrUKFAAuhv/sAFBLAQItAy0AAAAIAAAAIQDeFSutawAAALAAAAARAAAAAAAAAAAAAACAAQAAAABwcm9iYWJpbGl0aWVzLm5weVBLAQItAy0AAAAIAAAAIQB1RdGAUQAAAIYAAAAHAAAAAAAAAAAAAACAAa4AAABzZWcubnB5UEsBAi0DLQAAAAgAAAAhAEzIH4FPAAAAjAAAAAcAAAAAAAAAAAAAAIABOAEAAGJpZy5ucHlQSwECLQMtAAAACAAAACEA9NIzFkcAAACDAAAABQAAAAAAAAAAAAAAgAHAAQAAdS5ucHlQSwUGAAAAAAQABADcAAAAPgIAAAAA";

  /** Written by numpy 2.4: np.savez(a=int16 [[1, 2], [3, 4]]) (stored, not deflated). */
  private static final String NUMPY_NPZ_STORED = "UEsDBC0AAAAAAAAAIQAAytxt//////////8FABQAYS5ucHkBABAAiAAAAAAAAACIAAAAAAAAAJNOVU1QWQEAdgB7J2Rlc2NyJzogJzxpMicsICdmb3J0cmFuX29yZGVyJzogRmFsc2UsICdzaGFwZSc6ICgyLCAyKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAKAQACAAMABABQSwECLQMtAAAAAAAAACEAAMrcbYgAAACIAAAABQAAAAAAAAAAAAAAgAEAAAAAYS5ucHlQSwUGAAAAAAEAAQAzAAAAvwAAAAAA";

  @Test
  void readsNumpyWrittenNpz() throws Exception {
    Path f = dir.resolve("numpy.npz");
    Files.write(f, Base64.getDecoder().decode(NUMPY_NPZ));
    Map<String, NpyArray> m = NpyFile.readNpz(f);
    assertEquals(List.of("probabilities", "seg", "big", "u"), List.copyOf(m.keySet()));
    NpyArray p = m.get("probabilities");
    assertArrayEquals(new int[] {2, 1, 2, 3}, p.shape());
    assertEquals(11 / 8f, p.floats()[11]);
    assertEquals(0.125f, p.floats()[1]);
    assertArrayEquals(new byte[] {-1, 0, 1, 2, 0, -1}, m.get("seg").bytes());
    assertEquals(DType.INT8, m.get("seg").dtype());
    assertArrayEquals(new int[] {1, -2, 300}, m.get("big").ints());
    assertArrayEquals(new byte[] {0, (byte) 255, 7}, m.get("u").bytes());

    Path stored = dir.resolve("stored.npz");
    Files.write(stored, Base64.getDecoder().decode(NUMPY_NPZ_STORED));
    NpyArray a = NpyFile.readNpz(stored).get("a");
    assertArrayEquals(new int[] {2, 2}, a.shape());
    assertArrayEquals(new short[] {1, 2, 3, 4}, a.shorts());
  }

  @Test
  void npzRoundTripsAndIsDeterministic() throws Exception {
    Map<String, NpyArray> arrays = new LinkedHashMap<>();
    arrays.put("probabilities", NpyArray.ofFloats(new float[] {0.25f, 0.75f, 0.5f, 0.5f}, 2, 1, 1, 2));
    arrays.put("a", NpyArray.ofShorts(new short[] {3}, 1));
    for (boolean compressed : new boolean[] {true, false}) {
      Path f1 = dir.resolve("one" + compressed + ".npz");
      Path f2 = dir.resolve("two" + compressed + ".npz");
      NpyFile.writeNpz(f1, arrays, compressed);
      NpyFile.writeNpz(f2, Map.of("a", arrays.get("a"), "probabilities", arrays.get("probabilities")),
          compressed);
      assertArrayEquals(Files.readAllBytes(f1), Files.readAllBytes(f2));
      Map<String, NpyArray> back = NpyFile.readNpz(f1);
      assertEquals(List.of("a", "probabilities"), List.copyOf(back.keySet()));
      assertEquals(arrays.get("probabilities"), back.get("probabilities"));
      assertEquals(arrays.get("a"), back.get("a"));
    }
  }

  @Test
  void badFilesGiveClearErrors() throws Exception {
    Path f = dir.resolve("bad.npy");
    Files.write(f, "hello world, not numpy".getBytes(StandardCharsets.US_ASCII));
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> NpyFile.read(f));
    assertTrue(e.getMessage().contains("bad.npy") && e.getMessage().contains("magic"), e.getMessage());

    byte[] good = NpyFile.toBytes(NpyArray.ofFloats(new float[] {1, 2}, 2));
    Files.write(f, Arrays.copyOf(good, good.length - 1));
    e = assertThrows(InvalidInputException.class, () -> NpyFile.read(f));
    assertTrue(e.getMessage().contains("needs 8 data bytes"), e.getMessage());

    String dict = new String(good, 10, 118, StandardCharsets.ISO_8859_1).replace("<f4", "<f8");
    byte[] f8 = good.clone();
    System.arraycopy(dict.getBytes(StandardCharsets.ISO_8859_1), 0, f8, 10, 118);
    Files.write(f, f8);
    e = assertThrows(InvalidInputException.class, () -> NpyFile.read(f));
    assertTrue(e.getMessage().contains("unsupported dtype '<f8'"), e.getMessage());

    String fortran = new String(good, 10, 118, StandardCharsets.ISO_8859_1).replace("False", "True ");
    byte[] ft = good.clone();
    System.arraycopy(fortran.getBytes(StandardCharsets.ISO_8859_1), 0, ft, 10, 118);
    Files.write(f, ft);
    e = assertThrows(InvalidInputException.class, () -> NpyFile.read(f));
    assertTrue(e.getMessage().contains("Fortran"), e.getMessage());

    assertThrows(InvalidInputException.class, () -> NpyFile.read(dir.resolve("missing.npy")));
    assertThrows(IllegalStateException.class, () -> NpyFile.fromBytes(good, "x").ints());
  }
}
