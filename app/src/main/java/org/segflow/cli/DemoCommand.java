package org.segflow.cli;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.segflow.contract.PipelineRequest;
import org.segflow.contract.PipelineWorkflow;
import org.segflow.contract.RunMemo;
import org.segflow.dataset.DatasetName;
import org.segflow.sample.FundusSampleGenerator;
import org.segflow.sample.SampleSpec;
import org.segflow.storage.SegflowPaths;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The README's first command: the whole pipeline as one Temporal workflow on the bundled synthetic
 * fundus sample, with the embedded stack (the Temporal test server on loopback, workers for every
 * pool, a KRaft Kafka broker) in this process, a CPU-sized plan and a short training budget so it
 * finishes in minutes; then the test images are dropped into the inbox and segmented through Kafka
 * by the model version the pipeline published.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run the whole pipeline through Temporal on the bundled synthetic fundus sample: the embedded "
        + "Temporal server, workers and Kafka broker start in this process, then sample -> convert -> "
        + "plan-and-preprocess -> fold training -> find-best (publishes model v1) -> predict the test images, "
        + "ending with the test Dice; then the test images are dropped into SEGFLOW_HOME/inbox/<dataset>/ and "
        + "segmented automatically (watcher -> Kafka -> bridge -> InferenceWorkflow -> SegmentationCompleted).")
final class DemoCommand implements Callable<Integer> {

  private static final String NAME = "FundusSample";

  @Option(names = "--cases", defaultValue = "20", description = "Training cases. Default: ${DEFAULT-VALUE}.")
  int cases;

  @Option(names = "--test-cases", defaultValue = "4", description = "Test cases. Default: ${DEFAULT-VALUE}.")
  int testCases;

  @Option(names = "--size", defaultValue = "584x565", paramLabel = "HxW",
      description = "Image size of the synthetic cases, height x width. Default: ${DEFAULT-VALUE}.")
  String size;

  @Option(names = {"-d", "--dataset"}, defaultValue = "1", paramLabel = "ID",
      description = "Id of the dataset the demo creates (1-999). Default: ${DEFAULT-VALUE}.")
  int datasetId;

  @Option(names = "--memory-target-gb", defaultValue = "0.5",
      description = "Plan for this much accelerator memory; small gives a CPU-sized patch. Default: ${DEFAULT-VALUE}.")
  double memoryTargetGb;

  @Option(names = {"-f", "--folds"}, arity = "1..*", split = ",", defaultValue = "0", paramLabel = "FOLD",
      converter = Folds.Token.class, completionCandidates = Folds.Candidates.class,
      description = Folds.DESCRIPTION + " The cross-validation folds to train, one at a time (not all). "
          + "Default: ${DEFAULT-VALUE}.")
  List<String> folds;

  @Option(names = "--epochs", defaultValue = "4", description = "Training epochs per fold. Default: ${DEFAULT-VALUE}.")
  int epochs;

  @Option(names = "--iterations-per-epoch", defaultValue = "12",
      description = "Training batches per epoch. Default: ${DEFAULT-VALUE}.")
  int iterations;

  @Option(names = "--run", defaultValue = "demo", description = "Run name. Default: ${DEFAULT-VALUE}.")
  String runName;

  @Option(names = "--threads", defaultValue = "0", paramLabel = "N",
      description = EngineOptions.THREADS + " Default: ${DEFAULT-VALUE}.")
  int threads;

  @Option(names = "--inbox-images", defaultValue = "2", paramLabel = "N",
      description = "Test images dropped into the inbox at the end (0: no Kafka part). Default: ${DEFAULT-VALUE}.")
  int inboxImages;

  @Option(names = "--inbox-timeout", defaultValue = "10m", converter = DurationConverter.class,
      description = "How long to wait for the dropped images' results. Default: ${DEFAULT-VALUE}.")
  Duration inboxTimeout;

  @Mixin
  StorageOptions storage;

  @Override
  public Integer call() throws IOException, InterruptedException {
    long t0 = System.nanoTime();
    SegflowPaths paths = storage.paths();
    int[] hw = SampleCommand.parseSize(size);
    Path sample = paths.home().resolve("samples")
        .resolve("fundus-" + cases + "-" + testCases + "-" + hw[0] + "x" + hw[1]);
    if (!Files.isDirectory(sample.resolve("crop_train"))) {
      FundusSampleGenerator.generate(sample, new SampleSpec(cases, testCases, hw[0], hw[1], 1), true);
      System.out.println("Generated the sample: " + sample);
    }
    EmbeddedStack.Builder parts = EmbeddedStack.builder(paths).temporal("127.0.0.1", 0)
        .workers(WorkerCommand.Pool.ALL).engine("auto", threads);
    if (inboxImages > 0) {
      // the broker starts (about 5 s) while the pipeline trains; the workers only need its address now
      parts.embeddedKafka(paths.home().resolve("kafka"), 0, 1).startingKafkaInBackground();
    }
    int code;
    try (EmbeddedStack stack = parts.start()) {
      WorkflowClient client = stack.client();
      System.out.printf("Temporal test server on %s, workers on %s%s, home %s%n", stack.temporalTarget(),
          stack.queues(), stack.kafka() == null ? "" : ", Kafka on " + stack.kafka().bootstrapServers(), paths.home());
      PipelineRequest request = new PipelineRequest(sample.toString(), datasetId, NAME, "gray",
          memoryTargetGb, epochs, iterations, Math.max(2, iterations / 3),
          Folds.crossValidation(folds, "the demo trains cross-validation folds"), runName);
      PipelineWorkflow wf = client.newWorkflowStub(PipelineWorkflow.class,
          WorkflowOptions.newBuilder().setWorkflowId(request.workflowId())
              .setTaskQueue(PipelineWorkflow.TASK_QUEUE).setMemo(RunMemo.of(request)).build());
      WorkflowClient.start(wf::run, request);
      System.out.println("Started " + request.workflowId());
      code = PipelineCommand.Run.follow(client, request, wf, 5);
      List<InboxDemo.Drop> drops = code == 0 && stack.kafka() != null ? testImages(sample, inboxImages) : List.of();
      if (!drops.isEmpty()) {
        code = inbox(stack, drops);
      }
    }
    System.out.printf(Locale.ROOT, "Demo %s in %.1f min; everything is under %s%n",
        code == 0 ? "finished" : "failed", (System.nanoTime() - t0) / 60e9, paths.home());
    return code;
  }

  private int inbox(EmbeddedStack stack, List<InboxDemo.Drop> drops) throws IOException, InterruptedException {
    try {
      stack.awaitKafka();
    } catch (IllegalStateException e) {
      System.err.println("error: " + e.getMessage());
      return 1;
    }
    String dataset = new DatasetName(datasetId, NAME).folderName();
    return new InboxDemo(storage.paths(), stack, dataset, inboxTimeout).run(drops);
  }

  /** The first {@code n} test cases of the sample as inbox files named fundus-test-K.png, with their labels. */
  static List<InboxDemo.Drop> testImages(Path sample, int n) throws IOException {
    List<Path> dirs;
    try (Stream<Path> s = Files.list(sample.resolve("crop_test"))) {
      dirs = s.filter(d -> Files.isRegularFile(d.resolve(FundusSampleGenerator.IMAGE_FILE)))
          .sorted(Comparator.comparing(d -> d.getFileName().toString(),
              Comparator.comparingInt(String::length).thenComparing(Comparator.naturalOrder())))
          .limit(n).toList();
    }
    List<InboxDemo.Drop> drops = new ArrayList<>();
    for (Path d : dirs) {
      Path label = d.resolve(FundusSampleGenerator.LABEL_FILE);
      drops.add(new InboxDemo.Drop("fundus-test-" + d.getFileName() + ".png",
          d.resolve(FundusSampleGenerator.IMAGE_FILE), Files.isRegularFile(label) ? label : null));
    }
    return drops;
  }
}
