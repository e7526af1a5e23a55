package org.segflow.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.segflow.bridge.EmbeddedKafka;
import org.segflow.bridge.KafkaSettings;
import org.segflow.contract.EventTopics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "kafka", mixinStandardHelpOptions = true,
    description = "Run a single-node Kafka broker (KRaft) on 127.0.0.1 with its data under SEGFLOW_HOME/kafka,"
        + " and create segflow's topics. For development; production uses a real cluster (--bootstrap-servers).")
final class KafkaCommand implements Callable<Integer> {

  @Option(names = "--port", defaultValue = "9092", description = "Broker port. Default: ${DEFAULT-VALUE}.")
  int port;

  @Option(names = "--partitions", defaultValue = "3",
      description = "Partitions of " + EventTopics.IMAGES_ARRIVED + " when created. Default: ${DEFAULT-VALUE}.")
  int partitions;

  @Mixin
  StorageOptions storage;

  @Override
  public Integer call() throws InterruptedException {
    Path data = storage.paths().home().resolve("kafka");
    EmbeddedKafka kafka = start(data, port, partitions);
    System.out.printf("segflow kafka on %s, data in %s, topics %s%n", kafka.bootstrapServers(), data,
        EventTopics.ALL);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      kafka.close();
      stopped.countDown();
    }, "segflow-kafka-shutdown"));
    stopped.await();
    return 0;
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
}
