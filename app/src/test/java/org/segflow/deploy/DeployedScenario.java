package org.segflow.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.segflow.events.SegmentationCompleted;
import org.segflow.sample.FundusSampleGenerator;
import org.segflow.sample.SampleSpec;

/**
 * The end-to-end scenario on a deployed topology whose Temporal and Kafka already run (stand-ins or the
 * real services): every segflow process of the deployment file started and ready, a pipeline started from
 * the host as a user would, then images dropped into the inbox the watcher watches. Asserted: the pipeline
 * completes and publishes a model; every image gets exactly one SegmentationCompleted naming that model
 * and no dead letter; every process serves /metrics; every process logs INFO lines from segflow; no
 * process crashed on the way.
 */
final class DeployedScenario {

  static final int DATASET = 21;
  static final String DATASET_NAME = "Dataset021_Deploy";

  /** docker-compose.yml's third-party endpoints, as its segflow services name them. */
  static final Map<String, LocalStack.StandIn> COMPOSE_ENDPOINTS =
      Map.of("temporal:7233", LocalStack.StandIn.TEMPORAL, "kafka:9092", LocalStack.StandIn.KAFKA);

  private DeployedScenario() {}

  /** Runs the scenario on {@code stack}, whose Temporal and Kafka are up; {@code dir} is the test's folder. */
  static void run(LocalStack stack, List<ServiceSpec> services, Path dir) throws Exception {
    for (ServiceSpec s : services) {
      stack.start(s.name(), s, heap(s));
    }
    for (LocalStack.Running r : stack.processes()) {
      r.awaitReady(Duration.ofMinutes(2));
    }
    String temporal = stack.address(LocalStack.StandIn.TEMPORAL);

    FundusSampleGenerator.generate(stack.home.resolve("sources/Sample"), new SampleSpec(8, 2, 64, 64, 5), true);
    String out = stack.cli(Duration.ofMinutes(10), "pipeline", "run", "sources/Sample", "-d", "" + DATASET,
        "--name", "Deploy", "--epochs", "2", "--iterations-per-epoch", "2", "--val-iterations", "1",
        "--folds", "0", "--run", "deploy", "--poll-seconds", "1", "--temporal", temporal);
    assertTrue(out.contains("Done: " + DATASET_NAME), out);
    String models = stack.cli(Duration.ofMinutes(1), "models", "list", "-d", "" + DATASET);
    assertTrue(models.lines().anyMatch(l -> l.matches("\\*\\s+v1\\b.*")), "v1 published and promoted:\n" + models);

    Path arrivals = dir.resolve("arrivals");
    FundusSampleGenerator.generate(arrivals, new SampleSpec(1, 3, 64, 64, 77), true);
    try (Arrivals inbox = new Arrivals(stack.address(LocalStack.StandIn.KAFKA))) {
      for (int i = 0; i < 3; i++) {
        Path c = arrivals.resolve("crop_test").resolve("" + i);
        inbox.drop(stack.home.resolve("inbox"), DATASET_NAME, "arrived-" + i + ".png",
            c.resolve(FundusSampleGenerator.IMAGE_FILE), c.resolve(FundusSampleGenerator.LABEL_FILE));
      }
      Map<String, SegmentationCompleted> results = inbox.awaitAll(Duration.ofMinutes(4), stack::diagnostics);
      for (SegmentationCompleted c : results.values()) {
        assertEquals("v1", c.getModelVersion(), c.toString());
        assertTrue(Files.isRegularFile(Path.of(java.net.URI.create(c.getLabelMapUri()))), c.getLabelMapUri());
        assertTrue(c.hasDice(), "scored against the reference dropped with it: " + c);
      }
      WorkflowsClosed.await(temporal, results.values().stream().map(SegmentationCompleted::getWorkflowId).toList(),
          Duration.ofMinutes(1));
      Arrivals.Answers answers = inbox.everyAnswerSoFar();
      assertEquals(inbox.dropped.size(), answers.completed().size(), "exactly one result per image");
      assertEquals(List.of(), answers.deadLetters(), "no dead letter");
    }

    for (ServiceSpec s : services) {
      String metrics = stack.metrics(s.name());
      assertTrue(metrics.contains("jvm_memory_used_bytes"), s.name() + " /metrics:\n" + metrics);
    }
    assertTrue(stack.metrics("worker-gpu").contains("segflow_training_epoch{"), "training meters on the gpu worker");
    assertTrue(stack.metrics("bridge").lines().anyMatch(l -> l.startsWith("segflow_events_total{")
        && l.contains("outcome=\"started\"") && l.endsWith(" 3.0")), stack.metrics("bridge"));
    for (ServiceSpec s : services) {
      assertTrue(LogLines.hasSegflowInfo(stack.get(s.name()).log()),
          s.name() + " logs no INFO line from org.segflow:\n" + LocalStack.tail(stack.get(s.name()).log()));
    }
    Set<String> restarted = new TreeSet<>();
    stack.processes().stream().filter(r -> r.starts > 1).forEach(r -> restarted.add(r.name));
    assertEquals(Set.of(), restarted, "no process crashed on the way");
  }

  /** The heap a container's memory limit would allow: the engine processes more. */
  static String heap(ServiceSpec s) {
    if (!s.command().equals("worker")) {
      return "384m";
    }
    return switch (String.valueOf(s.option("--pool"))) {
      case "gpu", "all" -> "2g";
      case "cpu" -> "1g";
      default -> "384m";
    };
  }
}
