package org.segflow.cli;

import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.temporal.internal.testservice.GRPCServerHelper;
import io.temporal.internal.testservice.TestServicesStarter;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.Callable;
import java.util.function.LongSupplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "server", mixinStandardHelpOptions = true,
    description = {"Run the embedded Temporal server (the Temporal Java test server, real time) until stopped.",
        "It keeps everything in memory: a restart forgets every workflow, but every segflow step restarts "
            + "from what is on disk. Use a real cluster (--temporal) for anything durable."})
final class ServerCommand implements Callable<Integer> {

  @Option(names = "--port", defaultValue = "7233", description = "Temporal frontend port. Default: ${DEFAULT-VALUE}.")
  int port;

  @Option(names = "--bind", defaultValue = "127.0.0.1",
      description = "Address to listen on (the server has no authentication). Default: ${DEFAULT-VALUE}.")
  String bind;

  @Override
  public Integer call() throws IOException, InterruptedException {
    EmbeddedServer server = EmbeddedServer.start(bind, port);
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "segflow-server-shutdown"));
    System.out.println("Temporal test server listening on " + bind + ":" + port + " (namespace default)");
    server.awaitTermination();
    return 0;
  }

  /**
   * The test server's services on one address. TestServer.createPortBoundServer binds every
   * interface; this uses its internal service starter (SDK version pinned in the parent pom).
   */
  static final class EmbeddedServer implements AutoCloseable {

    private final TestServicesStarter services;
    private final Server grpc;
    private final StickyPollers stickyPollers;
    private final StickyQueueWatchdog watchdog;

    private EmbeddedServer(TestServicesStarter services, Server grpc, StickyPollers stickyPollers,
        StickyQueueWatchdog watchdog) {
      this.services = services;
      this.grpc = grpc;
      this.stickyPollers = stickyPollers;
      this.watchdog = watchdog;
    }

    static EmbeddedServer start(String host, int port) throws IOException {
      return start(host, port, System::nanoTime);
    }

    /** {@code nanoClock} decides when a sticky queue counts as abandoned (tests move it on). */
    static EmbeddedServer start(String host, int port, LongSupplier nanoClock) throws IOException {
      // true: time skipping locked, i.e. real time as a durable server would run
      TestServicesStarter services = new TestServicesStarter(true, 0);
      ServerBuilder<?> builder = NettyServerBuilder.forAddress(new InetSocketAddress(host, port),
          InsecureServerCredentials.create());
      GRPCServerHelper.registerServicesAndHealthChecks(services.getServices(), builder);
      StickyPollers stickyPollers = new StickyPollers(nanoClock);
      builder.intercept(stickyPollers);
      Server grpc = builder.build().start();
      StickyQueueWatchdog watchdog = StickyQueueWatchdog.start(stickyPollers, selfTarget(host, grpc.getPort()));
      return new EmbeddedServer(services, grpc, stickyPollers, watchdog);
    }

    /** Where the server's own watchdog reaches it: loopback when it listens on every interface. */
    private static String selfTarget(String host, int port) {
      InetAddress address = new InetSocketAddress(host, port).getAddress();
      String reachable = address == null || address.isAnyLocalAddress()
          ? (address instanceof Inet6Address ? "::1" : "127.0.0.1")
          : address.getHostAddress();
      return (reachable.contains(":") ? "[" + reachable + "]" : reachable) + ":" + port;
    }

    StickyPollers stickyPollers() {
      return stickyPollers;
    }

    StickyQueueWatchdog watchdog() {
      return watchdog;
    }

    int port() {
      return grpc.getPort();
    }

    /** The addresses the server listens on. */
    java.util.List<? extends java.net.SocketAddress> addresses() {
      return grpc.getListenSockets();
    }

    void awaitTermination() throws InterruptedException {
      grpc.awaitTermination();
    }

    @Override
    public void close() {
      watchdog.close();
      grpc.shutdownNow();
      services.close();
    }
  }
}
