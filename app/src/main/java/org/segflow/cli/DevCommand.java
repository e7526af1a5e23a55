package org.segflow.cli;

import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.worker.WorkerFactory;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "dev", mixinStandardHelpOptions = true,
    description = "The embedded stack in one process: the Temporal test server on 127.0.0.1 and workers for "
        + "every pool (orchestrator, cpu, gpu). Then run `segflow pipeline run` from another shell.")
final class DevCommand implements Callable<Integer> {

  @Option(names = "--port", defaultValue = "7233", description = "Default: ${DEFAULT-VALUE}.")
  int port;

  @Option(names = "--device", defaultValue = "auto", description = "cpu, gpu or auto. Default: ${DEFAULT-VALUE}.")
  String device;

  @Option(names = "--threads", defaultValue = "2", description = "Engine threads per activity. Default: ${DEFAULT-VALUE}.")
  int threads;

  @Mixin
  StorageOptions storage;

  @Override
  public Integer call() throws IOException, InterruptedException {
    ServerCommand.EmbeddedServer server = ServerCommand.EmbeddedServer.start("127.0.0.1", port);
    TemporalOptions temporal = new TemporalOptions();
    temporal.target = "127.0.0.1:" + server.port();
    temporal.namespace = "default";
    WorkflowServiceStubs service = temporal.service();
    WorkerFactory factory = WorkerFactory.newInstance(temporal.client(service));
    List<String> queues = WorkerCommand.register(factory, WorkerCommand.Pool.ALL, storage.paths(), 0, device,
        threads);
    factory.start();
    System.out.printf("segflow dev: Temporal on %s, workers on %s, home %s%n", temporal.target, queues,
        storage.paths().home());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      factory.shutdown();
      service.shutdown();
      server.close();
      stopped.countDown();
    }, "segflow-dev-shutdown"));
    stopped.await();
    return 0;
  }
}
