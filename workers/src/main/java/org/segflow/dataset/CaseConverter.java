package org.segflow.dataset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.segflow.InvalidInputException;
import org.segflow.io.DecodedImage;
import org.segflow.io.ImageArray;
import org.segflow.io.ImageFiles;
import org.segflow.io.Luma;
import org.segflow.io.NaturalImage2DIO;
import org.segflow.io.PngWriter;

/**
 * Converts one source case into nnU-Net's raw layout: the image as CASE_0000.png (gray or RGB), the
 * label and FOV mask as 0/1 PNGs (the mask computed by {@link FovMask} when the release has none).
 * Each source file is read once; its bytes are hashed and decoded.
 */
final class CaseConverter {

  /** Source and written files of one case, for the manifest. */
  /** The files read and written for one case, and the bit depth of its image ({@code imageBits}). */
  record Output(List<DatasetManifest.FileEntry> sources, List<DatasetManifest.FileEntry> written, Path image,
      int imageBits) {}

  private final Path sourceRoot;
  private final Path outDir;
  private final ConversionOptions options;

  CaseConverter(Path sourceRoot, Path outDir, ConversionOptions options) {
    this.sourceRoot = sourceRoot;
    this.outDir = outDir;
    this.options = options;
  }

  Output convert(SourceCase c, boolean training) throws IOException {
    List<DatasetManifest.FileEntry> sources = new ArrayList<>();
    List<DatasetManifest.FileEntry> written = new ArrayList<>();
    DecodedImage image = read(c.image(), sources);
    ImageArray label = null;
    ImageArray mask = null;
    if (c.label() != null) {
      label = zeroOne(read(c.label(), sources).pixels(), c.label(), "label");
      requireSameSize(c.image(), image.pixels(), c.label(), label, "label");
    }
    if (c.mask() != null) {
      mask = zeroOne(read(c.mask(), sources).pixels(), c.mask(), "mask");
      requireSameSize(c.image(), image.pixels(), c.mask(), mask, "mask");
    } else if (c.fovFromImage()) {
      mask = FovMask.of(image.pixels(), image.bitDepth());
    }
    String split = training ? "Tr" : "Ts";
    write("images" + split + "/" + c.id() + "_0000.png", encodeImage(c.image(), image), written);
    if (label != null) {
      write("labels" + split + "/" + c.id() + ".png", PngWriter.encodeLabelMap(label), written);
    }
    if (mask != null) {
      write("masks" + split + "/" + c.id() + ".png", PngWriter.encodeLabelMap(mask), written);
    }
    return new Output(sources, written, c.image(), image.bitDepth());
  }

  private DecodedImage read(Path file, List<DatasetManifest.FileEntry> sources) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    sources.add(DatasetManifest.FileEntry.of(DatasetManifest.relative(sourceRoot, file), bytes));
    return ImageFiles.decode(bytes, file);
  }

  private void write(String relative, byte[] bytes, List<DatasetManifest.FileEntry> written)
      throws IOException {
    Files.write(outDir.resolve(relative), bytes);
    written.add(DatasetManifest.FileEntry.of(relative, bytes));
  }

  private byte[] encodeImage(Path file, DecodedImage image) {
    ImageArray px = image.pixels();
    int bits = image.bitDepth();
    if (bits != 8 && bits != 16) {
      throw new InvalidInputException(file, bits + "-bit samples cannot be stored as PNG; save the"
          + " image with 8- or 16-bit integer samples");
    }
    if (options.channels() == ConversionOptions.Channels.RGB) {
      if (px.channels() == 1) {
        throw new InvalidInputException(file, "is a grayscale image but RGB channels were requested;"
            + " convert with gray channels, or supply colour images");
      }
      return PngWriter.encodeRgb8(Luma.toRgb8(px, bits));
    }
    if (px.channels() == 1) {
      return bits == 8 ? PngWriter.encodeGray8(px) : PngWriter.encodeGray16(px);
    }
    return PngWriter.encodeGray8(Luma.toGray(px, bits));
  }

  private ImageArray zeroOne(ImageArray img, Path file, String role) {
    return BinaryLabels.zeroOne(img, file, role, options.labelName());
  }

  private void requireSameSize(Path imageFile, ImageArray image, Path otherFile, ImageArray other,
      String role) {
    if (!image.sameGeometry(other)) {
      throw new InvalidInputException(otherFile, "size mismatch: image "
          + DatasetManifest.relative(sourceRoot, imageFile) + " is " + NaturalImage2DIO.size(image)
          + " but " + role + " " + DatasetManifest.relative(sourceRoot, otherFile) + " is "
          + NaturalImage2DIO.size(other));
    }
  }
}
