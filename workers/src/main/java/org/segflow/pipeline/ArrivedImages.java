package org.segflow.pipeline;

import java.nio.file.Files;
import java.nio.file.Path;
import org.segflow.InvalidInputException;
import org.segflow.contract.InferenceRequest;
import org.segflow.dataset.DatasetManifest;

/** The image of an inference request, checked to be there with the bytes the event named. */
public final class ArrivedImages {

  private ArrivedImages() {}

  public static Path verified(InferenceRequest r) {
    Path image = Path.of(r.imagePath());
    if (!Files.isRegularFile(image)) {
      throw new InvalidInputException(image, "missing: the image of event " + r.imageUri()
          + " is gone (moved or deleted after it arrived)");
    }
    String actual = DatasetManifest.sha256(image);
    if (!actual.equals(r.sha256())) {
      throw new InvalidInputException(image, "changed since it arrived: sha256 is " + actual + ", the event said "
          + r.sha256());
    }
    return image;
  }
}
