package org.segflow.cli;

import java.nio.file.Path;
import org.segflow.bridge.KafkaSettings;
import picocli.CommandLine.Option;

/** Which Kafka to talk to: the embedded `segflow kafka` by default, any cluster with --bootstrap-servers. */
final class KafkaOptions {

  static final String DEFAULT_BOOTSTRAP = "127.0.0.1:9092";

  @Option(names = "--bootstrap-servers", defaultValue = DEFAULT_BOOTSTRAP, paramLabel = "HOST:PORT[,...]",
      description = "Kafka brokers. Default: ${DEFAULT-VALUE}.")
  String bootstrapServers;

  @Option(names = "--kafka-config", paramLabel = "FILE",
      description = "Kafka client properties applied to every client (security.protocol, sasl.mechanism, "
          + "sasl.jaas.config, ssl.truststore.location ...).")
  Path clientConfig;

  KafkaSettings settings() {
    return KafkaSettings.of(bootstrapServers, clientConfig);
  }
}
