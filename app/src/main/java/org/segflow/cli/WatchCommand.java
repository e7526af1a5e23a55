package org.segflow.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.segflow.bridge.InboxWatcher;
import org.segflow.contract.EventTopics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "watch", mixinStandardHelpOptions = true,
    description = "Publish an ImageArrived on " + EventTopics.IMAGES_ARRIVED + " for every complete new image in"
        + " INBOX (INBOX/<dataset>/file.png, or files directly in INBOX with -d). A file counts as complete once"
        + " its size and time have not changed for --stable-for; write-then-rename (.tmp, .part, hidden names)"
        + " is never picked up half-done.")
final class WatchCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "INBOX", description = "The folder to watch.")
  Path inbox;

  @Option(names = {"-d", "--dataset"}, description = "Dataset of the files directly in INBOX.")
  String dataset;

  @Option(names = "--interval", defaultValue = "500ms", converter = DurationConverter.class,
      description = "Scan interval (500ms, 2s, PT1S). Default: ${DEFAULT-VALUE}.")
  Duration interval;

  @Option(names = "--stable-for", defaultValue = "1s", converter = DurationConverter.class,
      description = "How long a file must stay unchanged before it is published. Default: ${DEFAULT-VALUE}.")
  Duration stableFor;

  @Mixin
  KafkaOptions kafka;

  @Override
  public Integer call() {
    try (KafkaProducer<String, byte[]> producer = kafka.settings().eventProducer()) {
      InboxWatcher watcher = new InboxWatcher(inbox, dataset, producer, stableFor);
      Thread main = Thread.currentThread();
      Runtime.getRuntime().addShutdownHook(new Thread(main::interrupt, "segflow-watch-shutdown"));
      System.out.printf("segflow watch %s -> %s on %s%n", watcher.inbox(), EventTopics.IMAGES_ARRIVED,
          kafka.bootstrapServers);
      watcher.run(interval);
    }
    return 0;
  }
}
