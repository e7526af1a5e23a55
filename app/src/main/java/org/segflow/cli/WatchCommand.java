package org.segflow.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.segflow.bridge.InboxWatcher;
import org.segflow.bridge.PublishedFiles;
import org.segflow.contract.EventTopics;
import org.segflow.cli.metrics.MetricsPorts;
import org.segflow.cli.metrics.MetricsServer;
import org.segflow.cli.metrics.SegflowMetrics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "watch", mixinStandardHelpOptions = true,
    description = "Publish an ImageArrived on " + EventTopics.IMAGES_ARRIVED + " for every complete new image in"
        + " INBOX (INBOX/<dataset>/file.png, or files directly in INBOX with -d). A file counts as complete once"
        + " its size and time have not changed for --stable-for; write-then-rename (.tmp, .part, hidden names)"
        + " is never picked up half-done. A reference segmentation at INBOX/<dataset>/labels/<same name>, there"
        + " before the image, is named in the event (label_uri). What was published is remembered in --state, so"
        + " a restart publishes only files that are new or changed since.")
final class WatchCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "INBOX", description = "The folder to watch.")
  Path inbox;

  @Option(names = {"-d", "--dataset"},
      description = DatasetArg.EXISTING + " The dataset of the files directly in INBOX.")
  String dataset;

  @Option(names = "--interval", defaultValue = "500ms", converter = DurationConverter.class,
      description = "Scan interval (500ms, 2s, PT1S). Default: ${DEFAULT-VALUE}.")
  Duration interval;

  @Option(names = "--stable-for", defaultValue = "1s", converter = DurationConverter.class,
      description = "How long a file must stay unchanged before it is published. Default: ${DEFAULT-VALUE}.")
  Duration stableFor;

  @Option(names = "--state", paramLabel = "FILE",
      description = "The list of files already published (path, size, time). Default: "
          + "SEGFLOW_HOME/watch/published-<hash of INBOX>.txt.")
  Path state;

  @Option(names = "--metrics-port", paramLabel = "PORT", defaultValue = "" + MetricsPorts.WATCH,
      description = "Prometheus /metrics port: JVM and the producer's Kafka client meters (-1: off). "
          + "Default: ${DEFAULT-VALUE}.")
  int metricsPort;

  @Option(names = "--metrics-address", defaultValue = MetricsServer.DEFAULT_ADDRESS,
      description = "Address for /metrics: every interface, so Prometheus in another container or pod can scrape it "
          + "(127.0.0.1: this machine only). Default: ${DEFAULT-VALUE}.")
  String metricsAddress;

  @Mixin
  StorageOptions storage;

  @Mixin
  KafkaOptions kafka;

  private final Lifetime lifetime = new Lifetime();

  @Override
  public Integer call() {
    PublishedFiles published = PublishedFiles.load(state != null ? state : defaultState(storage.paths().home(), inbox));
    try (Lifetime l = lifetime.open("segflow-watch-shutdown");
         SegflowMetrics metrics = SegflowMetrics.create();
         MetricsServer server = metricsPort < 0 ? null
             : MetricsServer.start(metrics.registry(), metricsAddress, metricsPort);
         KafkaProducer<String, byte[]> producer = kafka.settings().eventProducer();
         KafkaClientMetrics producerMetrics = new KafkaClientMetrics(producer)) {
      // kafka_producer_record_send_total / record_error_total: what was announced, and when Kafka refused
      producerMetrics.bindTo(metrics.registry());
      InboxWatcher watcher = new InboxWatcher(inbox, dataset, producer, stableFor, published);
      lifetime.onStop(watcher::stop);
      System.out.printf("segflow watch %s -> %s on %s (already published: %d files, listed in %s)%s%n",
          watcher.inbox(), EventTopics.IMAGES_ARRIVED, kafka.bootstrapServers, published.size(), published.file(),
          server == null ? "" : ", metrics " + server.url());
      // Kafka refusing or timing out an event ends the watch (ExitStatus: 4 when the brokers did not answer,
      // else 1); the file stays unpublished and a restart publishes it
      watcher.run(interval);
    }
    return 0;
  }

  /** Stops watching as Ctrl-C does. */
  void stop() {
    lifetime.stop();
  }

  /** Where `segflow watch` and `segflow demo` remember what they published from {@code inbox}. */
  static Path defaultState(Path home, Path inbox) {
    return PublishedFiles.stateFile(home.resolve("watch"), inbox);
  }
}
