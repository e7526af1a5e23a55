package org.segflow.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segflow.contract.EventTopics;
import org.segflow.events.ImageArrived;

/** The watcher publishes complete files once, never a file still growing or not yet renamed into place. */
class InboxWatcherTest {

  @TempDir
  Path inbox;

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
}
