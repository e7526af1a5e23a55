package org.segflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segflow.bridge.EmbeddedKafka;
import org.segflow.bridge.KafkaSettings;
import org.segflow.contract.EventTopics;
import org.segflow.contract.Sha256;
import org.segflow.events.ImageArrived;

/**
 * `segflow watch` against a real broker: a complete new file becomes one ImageArrived (with its label),
 * and a restarted watcher announces only the file that is new since, not the one it announced before.
 */
class WatchCommandTest {

  @Test
  void publishesNewFilesOnceAcrossRestarts(@TempDir Path home) throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start(home.resolve("kafka"), 0)) {
      KafkaSettings settings = KafkaSettings.of(kafka.bootstrapServers());
      settings.createTopics(1, (short) 1);
      Path inbox = home.resolve("inbox");
      Path dir = Files.createDirectories(inbox.resolve("Dataset003_W"));
      Path label = Files.write(Files.createDirectories(dir.resolve("labels")).resolve("a.png"), new byte[] {0});
      Path a = Files.write(dir.resolve("a.png"), new byte[] {1, 2, 3});
      try (TopicReader events = new TopicReader(settings, EventTopics.IMAGES_ARRIVED)) {
        CommandRun first = watch(inbox, home, kafka);
        assertTrue(first.awaitOutput("segflow watch").contains("already published: 0 files"), first.output());
        ImageArrived ea = ImageArrived.parseFrom(events.await(1).get(0));
        assertEquals("Dataset003_W", ea.getDataset());
        assertEquals(a.toUri().toString(), ea.getImageUri());
        assertEquals(Sha256.of(a), ea.getSha256());
        assertEquals(label.toUri().toString(), ea.getLabelUri());
        first.<WatchCommand>command("watch").stop();
        assertEquals(0, first.exitCode(), first.output() + first.errors());

        Path b = Files.write(dir.resolve("b.png"), new byte[] {4, 5});
        CommandRun second = watch(inbox, home, kafka);
        assertTrue(second.awaitOutput("segflow watch").contains("already published: 1 files"), second.output());
        // a.png sorts before b.png and both are stable at the same scan: had a.png been published again,
        // it would be on the (single-partition) topic before b.png's event
        List<ImageArrived> all = new ArrayList<>();
        for (byte[] v : events.await(2)) {
          all.add(ImageArrived.parseFrom(v));
        }
        assertEquals(b.toUri().toString(), all.get(1).getImageUri(), "the second event is the new file");
        assertFalse(all.get(1).hasLabelUri());
        second.<WatchCommand>command("watch").stop();
        assertEquals(0, second.exitCode(), second.output() + second.errors());
        assertTrue(!first.errors().contains("Exception") && !second.errors().contains("Exception"),
            first.errors() + second.errors());
      }
      Path state = WatchCommand.defaultState(home, inbox);
      assertTrue(Files.readString(state).contains(" " + dir.resolve("b.png").toAbsolutePath()), Files.readString(state));
    }
  }

  private static CommandRun watch(Path inbox, Path home, EmbeddedKafka kafka) {
    return CommandRun.start("watch", inbox.toString(), "--interval", "50ms", "--stable-for", "200ms",
        "--bootstrap-servers", kafka.bootstrapServers(), "--home", home.toString(), "--metrics-port", "0");
  }
}
