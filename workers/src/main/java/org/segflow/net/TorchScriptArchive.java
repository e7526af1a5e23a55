package org.segflow.net;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A TorchScript archive (what torch.jit.save writes) for a module with methods and no state, built
 * from its source: a zip holding the class's code, the pickled module object (no attributes but
 * {@code training}), an empty constants table and the format version. libtorch compiles the code
 * when the archive is loaded; nothing of Python is needed on either side.
 *
 * <p>Why: DJL exposes the aten ops one by one, without their in-place or fused variants; a
 * TorchScript method reaches all of them, and autograd records what it runs like any other op.
 */
final class TorchScriptArchive {

  /** The archive format's version; libtorch 2.7.1 (the one built in) loads it, as every scripted op's test shows. */
  private static final String FORMAT_VERSION = "3\n";

  private TorchScriptArchive() {}

  /**
   * The archive of class {@code className} (a module in the {@code __torch__} namespace) whose body
   * is {@code methods}: TorchScript source starting at column 0, each {@code def} taking
   * {@code self: __torch__.<className>} first and indenting its body by two spaces.
   */
  static byte[] of(String className, String methods) {
    String code = "class " + className + "(Module):\n"
        + "  __parameters__ = []\n"
        + "  __buffers__ = []\n"
        + "  training : bool\n"
        + methods.indent(2);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      String root = className.toLowerCase(java.util.Locale.ROOT) + "/";
      stored(zip, root + "data.pkl", moduleObject(className));
      stored(zip, root + "code/__torch__.py", code.getBytes(StandardCharsets.UTF_8));
      stored(zip, root + "constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'});
      stored(zip, root + "version", FORMAT_VERSION.getBytes(StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * Pickle protocol 2 of {@code __torch__.<className>()} with state {"training": True}, the shape
   * TorchScript's unpickler rebuilds a scripted module from.
   */
  private static byte[] moduleObject(String className) {
    ByteArrayOutputStream p = new ByteArrayOutputStream();
    p.write(0x80);                                       // PROTO
    p.write(2);
    p.writeBytes(ascii("c__torch__\n" + className + "\n")); // GLOBAL module.name
    p.write(')');                                        // EMPTY_TUPLE (constructor arguments)
    p.write(0x81);                                       // NEWOBJ
    p.write('}');                                        // EMPTY_DICT (the state)
    byte[] key = ascii("training");
    p.write('X');                                        // BINUNICODE, 4-byte little-endian length
    p.writeBytes(new byte[] {(byte) key.length, 0, 0, 0});
    p.writeBytes(key);
    p.write(0x88);                                       // NEWTRUE
    p.write('s');                                        // SETITEM
    p.write('b');                                        // BUILD
    p.write('.');                                        // STOP
    return p.toByteArray();
  }

  /** Uncompressed, as torch.jit.save stores entries. */
  private static void stored(ZipOutputStream zip, String name, byte[] data) throws IOException {
    ZipEntry entry = new ZipEntry(name);
    entry.setMethod(ZipEntry.STORED);
    entry.setSize(data.length);
    entry.setCompressedSize(data.length);
    CRC32 crc = new CRC32();
    crc.update(data);
    entry.setCrc(crc.getValue());
    zip.putNextEntry(entry);
    zip.write(data);
    zip.closeEntry();
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
