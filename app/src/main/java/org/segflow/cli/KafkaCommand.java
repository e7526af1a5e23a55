package org.segflow.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.segflow.bridge.EmbeddedKafka;
import org.segflow.bridge.KafkaSettings;
import org.segflow.contract.EventTopics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "kafka", mixinStandardHelpOptions = true, subcommands = KafkaCommand.CreateTopics.class,
    description = "Run a single-node Kafka broker (KRaft) on 127.0.0.1 with its data under SEGFLOW_HOME/kafka,"
        + " and create segflow's topics. For development; production uses a real cluster (--bootstrap-servers),"
        + " whose topics `segflow kafka create-topics` creates.")
final class KafkaCommand implements Callable<Integer> {

  @Option(names = "--port", defaultValue = "9092",
      description = "Broker port (0: any free one, printed). Default: ${DEFAULT-VALUE}.")
  int port;

  @Option(names = "--partitions", defaultValue = "3",
      description = "Partitions of " + EventTopics.IMAGES_ARRIVED + " when created. Default: ${DEFAULT-VALUE}.")
  int partitions;

  @Mixin
  StorageOptions storage;

  private final Lifetime lifetime = new Lifetime();

  @Override
  public Integer call() throws InterruptedException {
    Path data = storage.paths().home().resolve("kafka");
    try (Lifetime l = lifetime.open("segflow-kafka-shutdown"); EmbeddedKafka kafka = start(data, port, partitions)) {
      System.out.printf("segflow kafka on %s, data in %s, topics %s%n", kafka.bootstrapServers(), data,
          EventTopics.ALL);
      lifetime.await();
    }
    return 0;
  }

  /** Stops the broker as Ctrl-C does. */
  void stop() {
    lifetime.stop();
  }

  /** Starts the broker and creates the topics (also used by `segflow dev`). */
  static EmbeddedKafka start(Path data, int port, int partitions) {
    EmbeddedKafka kafka = EmbeddedKafka.start(data, port);
    try {
      KafkaSettings.of(kafka.bootstrapServers()).createTopics(partitions, (short) 1);
    } catch (RuntimeException e) {
      kafka.close();
      throw e;
    }
    return kafka;
  }

  @Command(name = "create-topics", mixinStandardHelpOptions = true,
      description = "Create segflow's topics on a Kafka cluster (existing ones are left as they are): "
          + EventTopics.IMAGES_ARRIVED + " with --partitions (the most bridges that can share the work), "
          + EventTopics.IMAGES_ARRIVED_DLQ + " and " + EventTopics.SEGMENTATIONS_COMPLETED + " with one.")
  static final class CreateTopics implements Callable<Integer> {

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--partitions", defaultValue = "3",
        description = "Partitions of " + EventTopics.IMAGES_ARRIVED + ". Default: ${DEFAULT-VALUE}.")
    int partitions;

    @Option(names = "--replication-factor", defaultValue = "3",
        description = "Copies of every partition (1 for a single broker). Default: ${DEFAULT-VALUE}.")
    short replication;

    @Override
    public Integer call() {
      kafka.settings().createTopics(partitions, replication);
      System.out.printf("segflow kafka create-topics: %s on %s (%d partitions for %s, replication %d)%n",
          EventTopics.ALL, kafka.bootstrapServers, partitions, EventTopics.IMAGES_ARRIVED, replication);
      return 0;
    }
  }
}
