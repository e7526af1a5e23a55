package org.segflow.io;

import java.nio.file.Path;
import java.util.Set;
import org.segflow.InvalidInputException;

/**
 * nnU-Net's reader/writer selection, for the one reader segflow implements: the
 * {@code overwrite_image_reader_writer} name if it is NaturalImage2DIO, else auto-detection (the
 * first reader whose endings contain the file ending and that can read the first image).
 */
public final class ReaderWriterRegistry {

  /** nnU-Net's other readers: a dataset.json naming one of these asks for a reader we lack. */
  private static final Set<String> UNIMPLEMENTED = Set.of("SimpleITKIO", "SimpleITKIOWithReorient",
      "Tiff3DIO", "NibabelIO", "NibabelIOWithReorient");

  private ReaderWriterRegistry() {}

  /** The reader's name; throws InvalidInputException naming the ending or the unreadable file. */
  public static String select(String fileEnding, String overwriteName, Path firstImage) {
    if (overwriteName != null && UNIMPLEMENTED.contains(overwriteName)) {
      throw new InvalidInputException(firstImage, "dataset.json asks for reader "
          + overwriteName + ", which segflow does not implement; it reads 2D images with "
          + NaturalImage2DIO.NAME + " (" + String.join(", ", NaturalImage2DIO.SUPPORTED_ENDINGS)
          + "). Remove overwrite_image_reader_writer or set it to " + NaturalImage2DIO.NAME + ".");
    }
    // an unknown name is ignored, as nnU-Net falls back to auto-detection when it cannot find it
    if (fileEnding == null || !NaturalImage2DIO.supportsEnding(fileEnding)) {
      throw new InvalidInputException(firstImage, "no reader for file_ending '" + fileEnding
          + "'; segflow reads " + String.join(", ", NaturalImage2DIO.SUPPORTED_ENDINGS));
    }
    try {
      ImageFiles.read(firstImage);
    } catch (InvalidInputException e) {
      String reason = e.file() == null ? e.getMessage()
          : e.getMessage().substring(e.file().toString().length() + 2);
      throw new InvalidInputException(firstImage, NaturalImage2DIO.NAME
          + " cannot read the first image: " + reason, e);
    }
    return NaturalImage2DIO.NAME;
  }
}
