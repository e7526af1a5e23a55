package org.segflow.predict;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.segflow.InvalidInputException;
import org.segflow.io.DecodedImage;
import org.segflow.io.ImageArray;
import org.segflow.io.ImageFiles;
import org.segflow.io.Luma;

/**
 * Brings an input image to the channels the model was trained on, the way {@code convert} prepared
 * the training images: a gray model gets colour photographs as Pillow's luma, an RGB model (three
 * channels) gets one RGB(A) file as its R, G, B. nnU-Net-style inputs with one file per channel are
 * stacked as they are. Anything else (wrong channel count, samples that cannot be converted) is
 * refused with the file and what training used.
 */
public final class ChannelConverter {

  private final Map<String, String> channelNames;

  /** @param channelNames dataset.json's channel_names of the trained model */
  public ChannelConverter(Map<String, String> channelNames) {
    this.channelNames = Map.copyOf(channelNames);
  }

  public int channels() {
    return channelNames.size();
  }

  /** Reads {@code files} and converts them; returns the image for the network and for display. */
  public Converted read(List<Path> files) {
    DecodedImage[] decoded = new DecodedImage[files.size()];
    for (int i = 0; i < decoded.length; i++) {
      // the reader's own error (truncated, not an image, over the pixel budget) names the file and what failed;
      // what the model was trained on is added to channel errors only
      try {
        decoded[i] = ImageFiles.readDecoded(files.get(i));
      } catch (ImageFiles.UnsupportedChannels e) {
        throw new InvalidInputException(e.file(), stripFile(e) + " (the model was trained on "
            + trainedOn() + ")", e);
      }
    }
    return new Converted(convert(files, decoded), decoded[0]);
  }

  /** The network input and the first file as decoded (for the overlay). */
  public record Converted(ImageArray image, DecodedImage firstFile) {}

  /** Converts decoded images (one per file, {@code files} name them in errors). */
  public ImageArray convert(List<Path> files, DecodedImage[] decoded) {
    int expected = channels();
    if (decoded.length == 1) {
      Path file = files.get(0);
      ImageArray px = decoded[0].pixels();
      int bits = decoded[0].bitDepth();
      boolean colour = px.channels() == 3 || px.channels() == 4;
      if (expected == 1 && colour) {
        requireIntegerSamples(file, bits, "gray (luma)");
        return Luma.toGray(px, bits);
      }
      if (expected == 3 && colour) {
        requireIntegerSamples(file, bits, "8-bit RGB");
        return Luma.toRgb8(px, bits);
      }
      if (px.channels() == expected) {
        return px;
      }
      throw new InvalidInputException(file, "has " + describe(px.channels()) + " but the model was trained on "
          + trainedOn() + (expected == 3 && px.channels() == 1
              ? "; give a colour image (or one gray file per channel, CASE_0000..0002)" : ""));
    }
    int total = 0;
    for (DecodedImage d : decoded) {
      total += d.pixels().channels();
    }
    if (total != expected) {
      throw new InvalidInputException(files.get(0), "case has " + files.size() + " files with " + total
          + " channel(s) in all but the model was trained on " + trainedOn());
    }
    ImageArray first = decoded[0].pixels();
    float[] data = new float[total * first.pixels()];
    int offset = 0;
    for (int i = 0; i < decoded.length; i++) {
      ImageArray part = decoded[i].pixels();
      if (!part.sameGeometry(first)) {
        throw new InvalidInputException(files.get(i), "image is " + part.height() + "x" + part.width()
            + " (HxW) but " + files.get(0).getFileName() + " of the same case is " + first.height() + "x"
            + first.width());
      }
      System.arraycopy(part.data(), 0, data, offset, part.data().length);
      offset += part.data().length;
    }
    return new ImageArray(total, first.height(), first.width(), data);
  }

  /** "1 channel (CT)" or "3 channels (R, G, B)", from dataset.json. */
  public String trainedOn() {
    List<String> names = new java.util.TreeMap<>(channelNames).values().stream().toList();
    return channels() + (channels() == 1 ? " channel (" : " channels (") + String.join(", ", names) + ")";
  }

  private static void requireIntegerSamples(Path file, int bits, String target) {
    if (bits != 8 && bits != 16) {
      throw new InvalidInputException(file, "has " + bits + "-bit samples, which cannot be converted to the "
          + target + " the model was trained on; save it with 8- or 16-bit integer samples");
    }
  }

  private static String describe(int channels) {
    return switch (channels) {
      case 1 -> "1 channel (gray)";
      case 3 -> "3 channels (RGB)";
      case 4 -> "4 channels (RGBA)";
      default -> channels + " channels";
    };
  }

  private static String stripFile(InvalidInputException e) {
    String m = e.getMessage();
    String prefix = e.file() == null ? "" : e.file() + ": ";
    return m.startsWith(prefix) ? m.substring(prefix.length()) : m;
  }
}
