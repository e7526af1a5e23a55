package org.segflow.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segflow.contract.Sha256;
import org.segflow.events.DeadLetter.Reason;
import org.segflow.events.ImageArrived;

class ArrivalValidatorTest {

  @TempDir
  Path home;

  private ArrivalValidator validator(Path inbox) {
    return new ArrivalValidator(List.of(inbox), d -> d.equals("7") ? Optional.of("Dataset007_Eyes") : Optional.empty());
  }

  private Path image(Path inbox) throws IOException {
    Path img = inbox.resolve("Dataset007_Eyes/a.png");
    Files.createDirectories(img.getParent());
    Files.write(img, new byte[] {1, 2, 3});
    return img;
  }

  private static ImageArrived.Builder event(Path img) {
    return ImageArrived.newBuilder().setDataset("7").setImageUri(img.toUri().toString())
        .setSha256(Sha256.of(img));
  }

  @Test
  void aReferenceLabelInTheInboxIsCarriedToTheRequest() throws IOException {
    Path inbox = home.resolve("inbox");
    Path img = image(inbox);
    Path label = inbox.resolve("Dataset007_Eyes/labels/a.png");
    Files.createDirectories(label.getParent());
    Files.write(label, new byte[] {0});
    Verdict v = validator(inbox).check(event(img).setLabelUri(label.toString()).build().toByteArray());
    assertTrue(v.accepted(), v.toString());
    assertEquals(label.toString(), v.request().labelUri());
    assertEquals("Dataset007_Eyes", v.request().dataset());
  }

  @Test
  void aReferenceLabelOutsideTheInboxIsNeverRead() throws IOException {
    Path inbox = home.resolve("inbox");
    Path img = image(inbox);
    Path label = home.resolve("elsewhere/a.png");
    Files.createDirectories(label.getParent());
    Files.write(label, new byte[] {0});
    Verdict v = validator(inbox).check(event(img).setLabelUri(label.toString()).build().toByteArray());
    assertEquals(Reason.OUTSIDE_INBOX, v.reason());
    assertTrue(v.detail().startsWith("label_uri " + label + " is outside"), v.detail());
  }

  @Test
  void aMissingReferenceLabelIsADeadLetterNamingTheFile() throws IOException {
    Path inbox = home.resolve("inbox");
    Path img = image(inbox);
    Path label = inbox.resolve("Dataset007_Eyes/labels/none.png");
    Verdict v = validator(inbox).check(event(img).setLabelUri(label.toUri().toString()).build().toByteArray());
    assertEquals(Reason.MISSING_FILE, v.reason());
    assertTrue(v.detail().contains("label_uri " + label), v.detail());
  }

  @Test
  void aRelativeReferenceLabelIsAnInvalidEvent() throws IOException {
    Path inbox = home.resolve("inbox");
    Path img = image(inbox);
    Verdict v = validator(inbox).check(event(img).setLabelUri("labels/a.png").build().toByteArray());
    assertEquals(Reason.INVALID_EVENT, v.reason());
    assertTrue(v.detail().contains("label_uri 'labels/a.png'"), v.detail());
  }
}
