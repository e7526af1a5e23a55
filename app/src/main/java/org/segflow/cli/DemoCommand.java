package org.segflow.cli;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.worker.WorkerFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.segflow.contract.PipelineRequest;
import org.segflow.contract.PipelineWorkflow;
import org.segflow.sample.FundusSampleGenerator;
import org.segflow.sample.SampleSpec;
import org.segflow.storage.SegflowPaths;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The README's first command: the whole pipeline as one Temporal workflow on the bundled synthetic
 * fundus sample, with the embedded stack (the Temporal test server on loopback and workers for every
 * pool) in this process, a CPU-sized plan and a short training budget so it finishes in minutes.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run the whole pipeline through Temporal on the bundled synthetic fundus sample: the embedded "
        + "Temporal server and workers start in this process, then sample -> convert -> plan-and-preprocess -> "
        + "fold training -> find-best -> predict the test images, ending with the test Dice and the overlays.")
final class DemoCommand implements Callable<Integer> {

  @Option(names = "--cases", defaultValue = "20", description = "Training cases. Default: ${DEFAULT-VALUE}.")
  int cases;

  @Option(names = "--test-cases", defaultValue = "4", description = "Test cases. Default: ${DEFAULT-VALUE}.")
  int testCases;

  @Option(names = "--size", defaultValue = "584x565", paramLabel = "HxW", description = "Default: ${DEFAULT-VALUE}.")
  String size;

  @Option(names = "--dataset", defaultValue = "1", description = "Dataset id. Default: ${DEFAULT-VALUE}.")
  int datasetId;

  @Option(names = "--memory-target-gb", defaultValue = "0.5",
      description = "Plan for this much accelerator memory; small gives a CPU-sized patch. Default: ${DEFAULT-VALUE}.")
  double memoryTargetGb;

  @Option(names = "--folds", split = ",", defaultValue = "0",
      description = "Folds to train (one JVM trains one fold at a time). Default: ${DEFAULT-VALUE}.")
  List<Integer> folds;

  @Option(names = "--epochs", defaultValue = "4", description = "Default: ${DEFAULT-VALUE}.")
  int epochs;

  @Option(names = "--iterations-per-epoch", defaultValue = "12", description = "Default: ${DEFAULT-VALUE}.")
  int iterations;

  @Option(names = "--run", defaultValue = "demo", description = "Run name. Default: ${DEFAULT-VALUE}.")
  String runName;

  @Option(names = "--threads", defaultValue = "2", description = "Engine threads. Default: ${DEFAULT-VALUE}.")
  int threads;

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
    try (ServerCommand.EmbeddedServer server = ServerCommand.EmbeddedServer.start("127.0.0.1", 0)) {
      TemporalOptions temporal = TemporalOptions.loopback(server.port());
      WorkflowServiceStubs service = temporal.service();
      WorkerFactory factory = WorkerFactory.newInstance(temporal.client(service));
      try {
        List<String> queues = WorkerCommand.register(factory, WorkerCommand.Pool.ALL, paths, 0, "auto", threads);
        factory.start();
        System.out.printf("Temporal test server on %s, workers on %s, home %s%n", temporal.target, queues,
            paths.home());
        PipelineRequest request = new PipelineRequest(sample.toString(), datasetId, "FundusSample", "gray",
            memoryTargetGb, epochs, iterations, Math.max(2, iterations / 3), folds, runName);
        PipelineWorkflow wf = temporal.client(service).newWorkflowStub(PipelineWorkflow.class,
            WorkflowOptions.newBuilder().setWorkflowId(request.workflowId())
                .setTaskQueue(PipelineWorkflow.TASK_QUEUE).build());
        WorkflowClient.start(wf::run, request);
        System.out.println("Started " + request.workflowId());
        int code = PipelineCommand.Run.follow(request.workflowId(), wf, WorkflowStub.fromTyped(wf), 5);
        System.out.printf(Locale.ROOT, "Demo finished in %.1f min; everything is under %s%n",
            (System.nanoTime() - t0) / 60e9, paths.home());
        return code;
      } finally {
        // stop the workers' long polls and the connection before the server goes, quietly
        factory.shutdownNow();
        factory.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
        service.shutdownNow();
        service.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
      }
    }
  }
}
