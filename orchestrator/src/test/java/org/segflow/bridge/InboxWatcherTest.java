package org.segflow.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segflow.contract.EventTopics;
import org.segflow.events.ImageArrived;

/**
 * The watcher publishes complete files once, never a file still growing or not yet renamed into place,
 * and a restarted watcher does not publish again what it published before, unless the file changed.
 */
class InboxWatcherTest {

  @TempDir
  Path inbox;

  @TempDir
  Path state;

  private final MockProducer<String, byte[]> producer =
      new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());

  @Test
  void publishesOnlyFilesThatStayedUnchangedAndOnlyOnce() throws Exception {
    InboxWatcher w = new InboxWatcher(inbox, "4", producer, Duration.ofSeconds(1));
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    Path growing = inbox.resolve("a.png");
    Files.write(growing, new byte[] {1, 2});
    Files.write(inbox.resolve(".b.png.tmp"), new byte[] {9});
    Files.createDirectories(inbox.resolve("Dataset002_X"));
    Files.write(inbox.resolve("Dataset002_X").resolve("c.png"), new byte[] {3});
    Files.write(inbox.resolve("notes.txt"), new byte[] {4});
    assertEquals(List.of(), w.scan(t), "first sight: nothing is known to be complete");
    Files.write(growing, new byte[] {1, 2, 3}); // still being written
    assertEquals(List.of(inbox.resolve("Dataset002_X").resolve("c.png")), w.scan(t.plusSeconds(2)));
    assertEquals(List.of(), w.scan(t.plusMillis(2500)), "a.png changed at 2 s, so not stable yet at 2.5 s");
    Files.move(inbox.resolve(".b.png.tmp"), inbox.resolve("b.png")); // renamed into place
    assertEquals(List.of(growing), w.scan(t.plusSeconds(4)));
    assertEquals(List.of(inbox.resolve("b.png")), w.scan(t.plusSeconds(6)));
    assertEquals(List.of(), w.scan(t.plusSeconds(9)), "each file once");

    assertEquals(3, producer.history().size());
    ImageArrived c = ImageArrived.parseFrom(producer.history().get(0).value());
    assertEquals("Dataset002_X", c.getDataset());
    assertEquals("Dataset002_X", producer.history().get(0).key());
    assertEquals(EventTopics.IMAGES_ARRIVED, producer.history().get(0).topic());
    // sha256 of the single byte 0x03, from Python's hashlib
    assertEquals("084fed08b978af4d7d196a7446a86b58009e636b611db16211b65a9aadff29c5", c.getSha256());
    ImageArrived a = ImageArrived.parseFrom(producer.history().get(1).value());
    assertEquals("4", a.getDataset());
    assertEquals(growing.toUri().toString(), a.getImageUri());
    assertEquals(t.plusSeconds(4).getEpochSecond(), a.getArrivedAt().getSeconds());
    assertTrue(ArrivalValidator.toPath(a.getImageUri()).equals(growing));
  }

  @Test
  void filesDirectlyInTheInboxWaitForADataset() throws Exception {
    InboxWatcher w = new InboxWatcher(inbox, null, producer, Duration.ZERO);
    Files.write(inbox.resolve("a.png"), new byte[] {1});
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    w.scan(t);
    assertEquals(List.of(), w.scan(t.plusSeconds(1)));
    assertEquals(0, producer.history().size());
  }

  @Test
  void aRestartedWatcherPublishesOnlyFilesThatAreNewOrChanged() throws Exception {
    Path stateFile = PublishedFiles.stateFile(state, inbox);
    Path dir = Files.createDirectories(inbox.resolve("Dataset002_X"));
    Path a = Files.write(dir.resolve("a.png"), new byte[] {1});
    Path b = Files.write(dir.resolve("b.png"), new byte[] {2});
    Path gone = Files.write(dir.resolve("gone.png"), new byte[] {3});
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    InboxWatcher first = new InboxWatcher(inbox, null, producer, Duration.ZERO, PublishedFiles.load(stateFile));
    first.scan(t);
    assertEquals(List.of(a, b, gone), first.scan(t.plusSeconds(1)));
    assertTrue(Files.readString(stateFile).contains(" " + a + "\n"), Files.readString(stateFile));

    Files.delete(gone);
    Files.write(b, new byte[] {2, 2}); // rewritten while no watcher ran
    Path c = Files.write(dir.resolve("c.png"), new byte[] {4});
    PublishedFiles remembered = PublishedFiles.load(stateFile);
    assertEquals(3, remembered.size());
    InboxWatcher second = new InboxWatcher(inbox, null, producer, Duration.ZERO, remembered);
    second.scan(t.plusSeconds(10));
    assertEquals(List.of(b, c), second.scan(t.plusSeconds(11)), "a.png was published before the restart");
    assertEquals(List.of(), second.scan(t.plusSeconds(12)));
    assertEquals(5, producer.history().size());
    String kept = Files.readString(stateFile);
    assertFalse(kept.contains("gone.png"), "a file that left the inbox is forgotten: " + kept);
    assertEquals(3, PublishedFiles.load(stateFile).size());

    // same size, new modification time: the file was written again, so it is announced again
    Files.setLastModifiedTime(a, FileTime.from(Files.getLastModifiedTime(a).toInstant().plusSeconds(60)));
    second.scan(t.plusSeconds(20));
    assertEquals(List.of(a), second.scan(t.plusSeconds(21)));
    assertFalse(Files.exists(stateFile.resolveSibling(stateFile.getFileName() + ".tmp")), "no temporary left");
  }

  @Test
  void aDamagedStateFileIsReportedWithItsLineAndRebuilt() throws Exception {
    Path stateFile = Files.writeString(state.resolve("published.txt"), "# header\n12 34 /x.png\nnot a line\n");
    List<String> warnings = new ArrayList<>();
    PublishedFiles p = PublishedFiles.load(stateFile, warnings::add);
    assertEquals(1, p.size());
    assertTrue(p.contains(Path.of("/x.png"), 12, 34));
    assertEquals(1, warnings.size());
    assertTrue(warnings.get(0).startsWith(stateFile + " line 3: expected 'size mtimeMillis path', got 'not a line'"),
        warnings.get(0));
    p.save();
    assertEquals(PublishedFiles.FORMAT + "\n12 34 /x.png\n", Files.readString(stateFile));

    Files.write(stateFile, new byte[] {(byte) 0xff, (byte) 0xfe, '\n'}); // not UTF-8
    warnings.clear();
    assertEquals(0, PublishedFiles.load(stateFile, warnings::add).size());
    assertTrue(warnings.get(0).contains("cannot be read"), warnings.toString());
  }

  @Test
  void aNewlineInAFileNameSurvivesARestart() throws Exception {
    Path dir = Files.createDirectories(inbox.resolve("Dataset002_X"));
    Path odd = Files.write(dir.resolve("two\nlines 100%.png"), new byte[] {1});
    Path plain = Files.write(dir.resolve("plain.png"), new byte[] {2});
    Path stateFile = PublishedFiles.stateFile(state, inbox);
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    InboxWatcher first = new InboxWatcher(inbox, null, producer, Duration.ZERO, PublishedFiles.load(stateFile));
    first.scan(t);
    assertEquals(List.of(plain, odd), first.scan(t.plusSeconds(1)));
    assertTrue(Files.readString(stateFile).contains("/two%0Alines 100%25.png\n"), Files.readString(stateFile));

    List<String> warnings = new ArrayList<>();
    PublishedFiles remembered = PublishedFiles.load(stateFile, warnings::add);
    assertEquals(List.of(), warnings);
    assertEquals(2, remembered.size());
    InboxWatcher second = new InboxWatcher(inbox, null, producer, Duration.ZERO, remembered);
    second.scan(t.plusSeconds(10));
    assertEquals(List.of(), second.scan(t.plusSeconds(11)), "both were published before the restart");
  }

  @Test
  void aStateFileOfTheFormerFormatIsReadAsItWas() throws Exception {
    Path stateFile = Files.writeString(state.resolve("published.txt"),
        "# files segflow watch announced: size mtimeMillis path\n5 6 /in/a%41 b.png\n");
    PublishedFiles p = PublishedFiles.load(stateFile, w -> {
      throw new AssertionError(w);
    });
    assertTrue(p.contains(Path.of("/in/a%41 b.png"), 5, 6));
  }

  @Test
  void aLabelNextToTheImageIsNamedAndNotPublishedItself() throws Exception {
    Path dir = Files.createDirectories(inbox.resolve("Dataset002_X").resolve(InboxWatcher.LABELS));
    Path label = Files.write(dir.resolve("a.png"), new byte[] {0});
    Path defaultLabel = Files.write(Files.createDirectories(inbox.resolve(InboxWatcher.LABELS)).resolve("d.png"),
        new byte[] {0});
    Path a = Files.write(inbox.resolve("Dataset002_X").resolve("a.png"), new byte[] {1});
    Path b = Files.write(inbox.resolve("Dataset002_X").resolve("b.png"), new byte[] {2});
    Path d = Files.write(inbox.resolve("d.png"), new byte[] {3});
    InboxWatcher w = new InboxWatcher(inbox, "2", producer, Duration.ZERO);
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    w.scan(t);
    assertEquals(List.of(a, b, d), w.scan(t.plusSeconds(1)));
    ImageArrived ea = ImageArrived.parseFrom(producer.history().get(0).value());
    assertEquals(label.toUri().toString(), ea.getLabelUri());
    assertFalse(ImageArrived.parseFrom(producer.history().get(1).value()).hasLabelUri());
    assertEquals(defaultLabel.toUri().toString(), ImageArrived.parseFrom(producer.history().get(2).value()).getLabelUri());
  }

  @Test
  void stopEndsRun() throws Exception {
    InboxWatcher w = new InboxWatcher(inbox, "2", producer, Duration.ZERO);
    Files.write(inbox.resolve("a.png"), new byte[] {1});
    Thread t = new Thread(() -> w.run(Duration.ofMillis(20)));
    t.start();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (producer.history().isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(10); // poll interval; the deadline bounds the wait
    }
    assertEquals(1, producer.history().size());
    w.stop();
    t.join(Duration.ofSeconds(10).toMillis());
    assertFalse(t.isAlive(), "run returned after stop");
  }
}
