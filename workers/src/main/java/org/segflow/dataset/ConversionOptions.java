package org.segflow.dataset;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.segflow.InvalidInputException;

/**
 * How {@link DatasetConverter} writes images and dataset.json.
 *
 * @param channels    GRAY: one gray PNG per case (colour images via Pillow's luma); RGB: one RGB PNG
 *                    per case, declared as three channels R, G, B (as nnU-Net's Dataset120)
 * @param channelName the channel name for GRAY; it selects nnU-Net's normalization ("CT" uses
 *                    the dataset's foreground intensity statistics)
 * @param labelName   the name of label 1 in dataset.json
 */
public record ConversionOptions(Channels channels, String channelName, String labelName) {

  public static final ConversionOptions DEFAULTS = new ConversionOptions(Channels.GRAY, "CT", "vessel");

  public enum Channels {
    GRAY, RGB;

    /** {@code gray} or {@code rgb}, as on the command line and in manifest.json. */
    public String key() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Channels parse(String s) {
      for (Channels c : values()) {
        if (c.key().equalsIgnoreCase(s.strip())) {
          return c;
        }
      }
      throw new InvalidInputException("channels must be gray or rgb, got '" + s + "'");
    }
  }

  public ConversionOptions {
    if (channels == null) {
      throw new InvalidInputException("channels must be gray or rgb");
    }
    if (channelName == null || channelName.isBlank()) {
      throw new InvalidInputException("channel name must not be empty");
    }
    if (labelName == null || labelName.isBlank() || "background".equals(labelName)
        || "ignore".equals(labelName)) {
      throw new InvalidInputException("label name must be non-empty and not 'background' or"
          + " 'ignore', got '" + labelName + "'");
    }
  }

  public ConversionOptions withChannels(Channels c) {
    return new ConversionOptions(c, channelName, labelName);
  }

  public ConversionOptions withChannelName(String name) {
    return new ConversionOptions(channels, name, labelName);
  }

  public ConversionOptions withLabelName(String name) {
    return new ConversionOptions(channels, channelName, name);
  }

  /** dataset.json's channel_names: {"0": channelName} or {"0": "R", "1": "G", "2": "B"}. */
  public Map<String, String> channelNames() {
    return channels == Channels.GRAY ? Map.of("0", channelName)
        : new TreeMap<>(Map.of("0", "R", "1", "G", "2", "B"));
  }

  /** The options as recorded in manifest.json (the channel name only where it is used). */
  Map<String, String> manifestEntries() {
    TreeMap<String, String> m = new TreeMap<>();
    m.put("channels", channels.key());
    if (channels == Channels.GRAY) {
      m.put("channel_name", channelName);
    }
    m.put("label_name", labelName);
    return m;
  }
}
