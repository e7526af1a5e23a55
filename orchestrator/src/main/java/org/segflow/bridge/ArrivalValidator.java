package org.segflow.bridge;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.segflow.contract.InferenceRequest;
import org.segflow.contract.Sha256;
import org.segflow.events.DeadLetter.Reason;
import org.segflow.events.ImageArrived;

/**
 * Decides whether an {@code segflow.images.arrived} record can become a workflow: protobuf
 * ImageArrived with a dataset, an image URI and a sha256; a dataset that has a promoted model; an
 * image inside one of the allowed inbox roots (also after resolving symbolic links); a file that
 * exists and has the sha256 the event names; and, when the event names a reference label, a file
 * inside the inbox roots too (its contents are checked by the inference's check step).
 */
public final class ArrivalValidator {

  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

  private final List<Path> inboxRoots;
  private final Function<String, Optional<String>> datasets;

  /**
   * @param inboxRoots the folders images may come from
   * @param datasets   a dataset reference -> its folder name (DatasetNNN_Name), empty when nothing can
   *                   segment it (no promoted model)
   */
  public ArrivalValidator(List<Path> inboxRoots, Function<String, Optional<String>> datasets) {
    this.inboxRoots = inboxRoots.stream().map(p -> p.toAbsolutePath().normalize()).toList();
    this.datasets = datasets;
  }

  public Verdict check(byte[] value) {
    ImageArrived event;
    try {
      event = ImageArrived.parseFrom(value == null ? new byte[0] : value);
    } catch (InvalidProtocolBufferException e) {
      return Verdict.reject(Reason.NOT_PROTOBUF, "value is not a protobuf ImageArrived: " + e.getMessage());
    }
    if (event.getDataset().isBlank() || event.getImageUri().isBlank()) {
      return Verdict.reject(value == null || value.length == 0 || event.getUnknownFields().asMap().size() > 0
          ? Reason.NOT_PROTOBUF : Reason.INVALID_EVENT,
          "ImageArrived needs dataset and image_uri; got dataset='" + event.getDataset() + "', image_uri='"
              + event.getImageUri() + "'");
    }
    String sha = event.getSha256().toLowerCase(Locale.ROOT);
    if (!SHA256_HEX.matcher(sha).matches()) {
      return Verdict.reject(Reason.INVALID_EVENT, "sha256 must be 64 hex digits, got '" + event.getSha256() + "'");
    }
    Optional<String> dataset = datasets.apply(event.getDataset());
    if (dataset.isEmpty()) {
      return Verdict.reject(Reason.UNKNOWN_DATASET, "dataset '" + event.getDataset()
          + "' is unknown or has no promoted model (segflow models list)");
    }
    Path image;
    try {
      image = toPath(event.getImageUri());
    } catch (IllegalArgumentException e) {
      return Verdict.reject(Reason.INVALID_EVENT, "image_uri '" + event.getImageUri()
          + "' is not a file: URI or an absolute path: " + e.getMessage());
    }
    if (!inside(image, inboxRoots)) {
      return Verdict.reject(Reason.OUTSIDE_INBOX, image + " is outside the allowed inbox roots " + inboxRoots);
    }
    if (!Files.isRegularFile(image)) {
      return Verdict.reject(Reason.MISSING_FILE, image + " does not exist (or is not a file)");
    }
    List<Path> realRoots = realRoots();
    try {
      Path real = image.toRealPath();
      if (!inside(real, realRoots)) {
        return Verdict.reject(Reason.OUTSIDE_INBOX, image + " leads to " + real
            + ", outside the allowed inbox roots " + inboxRoots);
      }
      String actual = Sha256.of(real);
      if (!actual.equals(sha)) {
        return Verdict.reject(Reason.SHA256_MISMATCH, image + " has sha256 " + actual + ", the event says " + sha);
      }
    } catch (IOException e) {
      return Verdict.reject(Reason.MISSING_FILE, image + " cannot be read: " + e.getMessage());
    }
    if (event.hasLabelUri()) {
      // the bridge reads nothing outside the inbox roots, a reference label included
      Path label;
      try {
        label = toPath(event.getLabelUri());
      } catch (IllegalArgumentException e) {
        return Verdict.reject(Reason.INVALID_EVENT, "label_uri '" + event.getLabelUri()
            + "' is not a file: URI or an absolute path: " + e.getMessage());
      }
      if (!inside(label, inboxRoots)) {
        return Verdict.reject(Reason.OUTSIDE_INBOX, "label_uri " + label + " is outside the allowed inbox roots "
            + inboxRoots);
      }
      if (!Files.isRegularFile(label)) {
        return Verdict.reject(Reason.MISSING_FILE, "label_uri " + label + " does not exist (or is not a file)");
      }
      try {
        Path real = label.toRealPath();
        if (!inside(real, realRoots)) {
          return Verdict.reject(Reason.OUTSIDE_INBOX, "label_uri " + label + " leads to " + real
              + ", outside the allowed inbox roots " + inboxRoots);
        }
      } catch (IOException e) {
        return Verdict.reject(Reason.MISSING_FILE, "label_uri " + label + " cannot be read: " + e.getMessage());
      }
    }
    long arrivedAt = event.hasArrivedAt()
        ? event.getArrivedAt().getSeconds() * 1000 + event.getArrivedAt().getNanos() / 1_000_000 : 0;
    return Verdict.accept(new InferenceRequest(dataset.get(), image.toString(), event.getImageUri(), sha,
        arrivedAt, event.hasLabelUri() ? event.getLabelUri() : null));
  }

  static Path toPath(String uri) {
    if (uri.startsWith("file:")) {
      return Path.of(URI.create(uri)).toAbsolutePath().normalize();
    }
    Path p = Path.of(uri);
    if (!p.isAbsolute()) {
      throw new IllegalArgumentException("relative path");
    }
    return p.normalize();
  }

  private List<Path> realRoots() {
    return inboxRoots.stream().map(r -> {
      try {
        return r.toRealPath();
      } catch (IOException e) {
        return r;
      }
    }).toList();
  }

  private static boolean inside(Path p, List<Path> roots) {
    return roots.stream().anyMatch(r -> p.startsWith(r) && !p.equals(r));
  }

}
