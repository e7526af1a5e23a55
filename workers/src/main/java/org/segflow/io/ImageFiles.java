package org.segflow.io;

import java.awt.image.BufferedImage;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferUShort;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.SampleModel;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.segflow.InvalidInputException;

/**
 * Reads natural 2D images (PNG, TIFF, BMP; for source datasets also GIF, PPM/PGM via
 * {@link NetpbmReader}, and JPEG photographs) into float arrays the way nnU-Net's NaturalImage2DIO
 * does, which reads through skimage and Pillow:
 *
 * <ul>
 *   <li>gray becomes one channel, RGB three, RGBA four; values are not rescaled;
 *   <li>1/2/4-bit gray PNGs are scaled to 0..255 (Pillow's "1" and "L;n" modes, e.g. 1 -> 255);
 *   <li>a palette image (GIF, palette PNG) whose used entries are all gray becomes one gray channel, otherwise RGB,
 *       or RGBA when a used entry is transparent (skimage's palette rule);
 *   <li>16-bit RGB/RGBA PNGs keep the high byte of each sample, because Pillow cannot hold 16-bit
 *       colour and loads them as 8-bit that way; 16-bit gray PNGs keep their full values;
 *   <li>anything with a channel count other than 1, 3 or 4 (gray+alpha) is rejected by
 *       {@link #read}, as nnU-Net accepts only those.
 * </ul>
 */
public final class ImageFiles {

  /** Endings nnU-Net's NaturalImage2DIO reads; JPEG is left out on purpose (lossy). */
  public static final Set<String> LOSSLESS_ENDINGS = Set.of(".png", ".bmp", ".tif", ".tiff");

  private ImageFiles() {}

  /** Reads an image; the channel count must be 1, 3 or 4. */
  public static ImageArray read(Path file) {
    return readDecoded(file).pixels();
  }

  /** Reads an image with its bit depth; the channel count must be 1, 3 or 4. */
  public static DecodedImage readDecoded(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new InvalidInputException(file, "file not found");
    }
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new InvalidInputException(file, "unreadable file: " + e.getMessage(), e);
    }
    return decode(bytes, file);
  }

  /**
   * Decodes image bytes already read from {@code file} (so callers can hash and decode one read).
   * {@code file} names the image in errors and selects PNG-specific rules by its ending.
   */
  public static DecodedImage decode(byte[] bytes, Path file) {
    if (GzipImage.recognises(bytes)) {
      bytes = GzipImage.inflate(bytes, file);
    }
    DecodedImage decoded = NetpbmReader.recognises(bytes) ? NetpbmReader.decode(bytes, file)
        : decode(readWithinBudget(bytes, file));
    int c = decoded.pixels().channels();
    if (c != 1 && c != 3 && c != 4) {
      throw new UnsupportedChannels(file, "has " + c + " channels"
          + (c == 2 ? " (gray + alpha)" : "")
          + "; only gray (1), RGB (3) or RGBA (4) images are supported, as in nnU-Net's"
          + " NaturalImage2DIO. Save it as plain gray or RGB.");
    }
    if (decoded.bitDepth() == 16 && c >= 3 && ".png".equals(ending(file))) {
      return new DecodedImage(highByte(decoded.pixels()), 8);
    }
    return decoded;
  }

  /**
   * Decodes the first image as ImageIO.read would, but only after its header's width x height passed
   * the {@link PixelBudget}: the readers' getWidth/getHeight read the header (PNG IHDR, TIFF IFD, BMP
   * header, JPEG SOF) and no pixels. An in-memory stream, as ImageIO's default one would spill to a
   * temporary file.
   */
  private static BufferedImage readWithinBudget(byte[] bytes, Path file) {
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw new InvalidInputException(file, "not a readable PNG, TIFF, BMP, GIF, JPEG or PPM/PGM image");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        PixelBudget.check(file, reader.getWidth(0), reader.getHeight(0));
        return reader.read(0, reader.getDefaultReadParam());
      } finally {
        reader.dispose();
      }
    } catch (InvalidInputException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new InvalidInputException(file, "unreadable image: " + e.getMessage(), e);
    }
  }

  /** Pixel values as stored: palette images are expanded to their colours (see the class note). */
  public static ImageArray toArray(BufferedImage img) {
    return decode(img).pixels();
  }

  private static DecodedImage decode(BufferedImage img) {
    if (img.getColorModel() instanceof IndexColorModel icm) {
      return new DecodedImage(expandPalette(img.getRaster(), icm), 8);
    }
    Raster r = img.getRaster();
    SampleModel sm = r.getSampleModel();
    int bits = sm.getSampleSize(0);
    for (int b = 1; b < r.getNumBands(); b++) {
      bits = Math.max(bits, sm.getSampleSize(b));
    }
    if (bits != 8 && bits != 16 && bits != 32) {
      // packed formats such as 16-bit RGB565 BMPs: let the colour model scale them to 8 bits
      return new DecodedImage(fromPackedRgb(img), 8);
    }
    return new DecodedImage(samples(r), bits);
  }

  /** All bands of a raster, channel-major; a direct array walk for byte and ushort rasters. */
  private static ImageArray samples(Raster r) {
    int c = r.getNumBands();
    int h = r.getHeight();
    int w = r.getWidth();
    float[] data = new float[c * h * w];
    DataBuffer db = r.getDataBuffer();
    if (r.getSampleModel() instanceof ComponentSampleModel csm
        && r.getSampleModelTranslateX() == 0 && r.getSampleModelTranslateY() == 0
        && (db instanceof DataBufferByte || db instanceof DataBufferUShort)) {
      int pixelStride = csm.getPixelStride();
      int scan = csm.getScanlineStride();
      int[] bandOffsets = csm.getBandOffsets();
      int[] banks = csm.getBankIndices();
      for (int b = 0; b < c; b++) {
        int base = db.getOffsets()[banks[b]] + bandOffsets[b];
        int out = b * h * w;
        if (db instanceof DataBufferByte bytes) {
          byte[] src = bytes.getData(banks[b]);
          for (int y = 0; y < h; y++) {
            int i = base + y * scan;
            for (int x = 0; x < w; x++, i += pixelStride) {
              data[out++] = src[i] & 0xFF;
            }
          }
        } else {
          short[] src = ((DataBufferUShort) db).getData(banks[b]);
          for (int y = 0; y < h; y++) {
            int i = base + y * scan;
            for (int x = 0; x < w; x++, i += pixelStride) {
              data[out++] = src[i] & 0xFFFF;
            }
          }
        }
      }
      return new ImageArray(c, h, w, data);
    }
    float[] row = new float[w];
    for (int b = 0; b < c; b++) {
      for (int y = 0; y < h; y++) {
        r.getSamples(r.getMinX(), r.getMinY() + y, w, 1, b, row);
        System.arraycopy(row, 0, data, (b * h + y) * w, w);
      }
    }
    return new ImageArray(c, h, w, data);
  }

  private static ImageArray expandPalette(Raster r, IndexColorModel icm) {
    int h = r.getHeight();
    int w = r.getWidth();
    int n = h * w;
    int[] idx = r.getSamples(r.getMinX(), r.getMinY(), w, h, 0, new int[n]);
    int lo = Integer.MAX_VALUE;
    int hi = Integer.MIN_VALUE;
    for (int v : idx) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    int size = icm.getMapSize();
    byte[] red = new byte[size];
    byte[] green = new byte[size];
    byte[] blue = new byte[size];
    byte[] alpha = new byte[size];
    icm.getReds(red);
    icm.getGreens(green);
    icm.getBlues(blue);
    icm.getAlphas(alpha);
    boolean gray = true;
    boolean transparent = false;
    for (int i = lo; i <= hi && i < size; i++) {
      gray &= red[i] == green[i] && green[i] == blue[i];
      transparent |= (alpha[i] & 0xFF) != 255;
    }
    byte[][] planes = gray ? new byte[][] {red}
        : transparent ? new byte[][] {red, green, blue, alpha} : new byte[][] {red, green, blue};
    float[] data = new float[planes.length * n];
    for (int c = 0; c < planes.length; c++) {
      byte[] lut = planes[c];
      int off = c * n;
      for (int i = 0; i < n; i++) {
        int v = idx[i];
        data[off + i] = v < size ? lut[v] & 0xFF : 0;
      }
    }
    return new ImageArray(planes.length, h, w, data);
  }

  private static ImageArray fromPackedRgb(BufferedImage img) {
    int h = img.getHeight();
    int w = img.getWidth();
    int n = h * w;
    boolean alpha = img.getColorModel().hasAlpha();
    int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
    int c = alpha ? 4 : 3;
    float[] data = new float[c * n];
    for (int i = 0; i < n; i++) {
      int p = argb[i];
      data[i] = (p >> 16) & 0xFF;
      data[n + i] = (p >> 8) & 0xFF;
      data[2 * n + i] = p & 0xFF;
      if (alpha) {
        data[3 * n + i] = (p >>> 24) & 0xFF;
      }
    }
    return new ImageArray(c, h, w, data);
  }

  /** 16-bit samples reduced to their high byte, as Pillow loads 16-bit colour images. */
  static ImageArray highByte(ImageArray img) {
    float[] src = img.data();
    float[] out = new float[src.length];
    for (int i = 0; i < src.length; i++) {
      out[i] = ((int) src[i]) >> 8;
    }
    return new ImageArray(img.channels(), img.height(), img.width(), out);
  }

  /** The lower-case image ending with its dot; a gzipped file's is the one before {@code .gz}. */
  public static String ending(Path file) {
    String name = unzippedName(file).toLowerCase(Locale.ROOT);
    int dot = name.lastIndexOf('.');
    return dot < 0 ? "" : name.substring(dot);
  }

  /** The file name without its last ending ({@code a.b.png} -> {@code a.b}, {@code a.ppm.gz} -> {@code a}). */
  public static String stem(Path file) {
    String name = unzippedName(file);
    int dot = name.lastIndexOf('.');
    return dot <= 0 ? name : name.substring(0, dot);
  }

  /** Whether the file is gzipped by its name ({@code .gz}). */
  public static boolean gzipped(Path file) {
    return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gz");
  }

  private static String unzippedName(Path file) {
    String name = file.getFileName().toString();
    return gzipped(file) && name.length() > 3 ? name.substring(0, name.length() - 3) : name;
  }

  /** An image decoded but with a channel count no model takes (2: gray + alpha, or more than 4). */
  public static final class UnsupportedChannels extends InvalidInputException {
    UnsupportedChannels(Path file, String message) {
      super(file, message);
    }
  }
}
