package org.segflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The exit status and the one line on stderr of each kind of failure, against the embedded Temporal server
 * for the cases that need one and a loopback port nothing listens on for the unreachable ones.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ExitStatusTest {

  private static ServerCommand.EmbeddedServer server;
  private static String live;
  private static String dead;

  @TempDir
  static Path dir;

  @BeforeAll
  static void start() throws IOException {
    server = ServerCommand.EmbeddedServer.start("127.0.0.1", 0);
    live = "127.0.0.1:" + server.port();
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      dead = "127.0.0.1:" + s.getLocalPort(); // closed again: connections are refused
    }
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  record Case(String name, int code, String message, List<String> args) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() throws IOException {
    // the Kafka admin client gives up after this instead of its default minute
    Path quickKafka = Files.writeString(dir.resolve("quick-kafka.properties"),
        "default.api.timeout.ms=2000\nrequest.timeout.ms=1000\nmax.block.ms=1500\ndelivery.timeout.ms=2000\n");
    Path inbox = Files.createDirectories(dir.resolve("inbox/Dataset007_Exit"));
    ImageIO.write(new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY), "png", inbox.resolve("a.png").toFile());
    List<String> pipeline = List.of("pipeline", "run", "/nowhere", "-d", "7", "--name", "Exit", "--detach",
        "--temporal", live, "--run");
    return Stream.of(
        new Case("help", ExitStatus.OK, "", List.of("--help")),
        new Case("missing parameter", ExitStatus.USAGE,
            "segflow: Missing required parameter: 'WORKFLOW_ID'; see 'segflow status --help'", List.of("status")),
        new Case("unknown option", ExitStatus.USAGE, "segflow: Unknown option: '--bogus'", List.of("cancel", "x",
            "--bogus")),
        new Case("invalid input", ExitStatus.INVALID_INPUT,
            "segflow: --memory-target-gb must be a positive number of GB, got 0.0",
            List.of("pipeline", "run", "/nowhere", "-d", "7", "--name", "Exit", "--memory-target-gb", "0")),
        new Case("unknown workflow id", ExitStatus.INVALID_INPUT,
            "segflow: no workflow nothing-here in namespace default at " + live,
            List.of("cancel", "nothing-here", "--temporal", live)),
        new Case("run name in use", ExitStatus.INVALID_INPUT,
            "segflow: workflow pipeline-Dataset007_Exit-twice already exists in namespace default at " + live,
            concat(pipeline, "twice")),
        new Case("Temporal unreachable", ExitStatus.UNREACHABLE,
            "segflow: cannot reach Temporal at " + dead + " (UNAVAILABLE: Connection refused): start it with "
                + "'segflow server' or pass --temporal HOST:PORT", List.of("status", "x", "--temporal", dead)),
        new Case("Temporal unreachable on start", ExitStatus.UNREACHABLE,
            "segflow: cannot reach Temporal at " + dead + " (UNAVAILABLE",
            List.of("pipeline", "run", "/nowhere", "-d", "7", "--name", "Exit", "--temporal", dead)),
        new Case("Kafka unreachable", ExitStatus.UNREACHABLE, "segflow: cannot reach Kafka at " + dead + " (",
            List.of("kafka", "create-topics", "--bootstrap-servers", dead, "--kafka-config", quickKafka.toString())),
        new Case("Kafka unreachable for the watcher", ExitStatus.UNREACHABLE,
            "segflow: cannot reach Kafka at " + dead + " (", List.of("watch", inbox.getParent().toString(),
                "--bootstrap-servers", dead, "--kafka-config", quickKafka.toString(), "--metrics-port", "-1",
                "--stable-for", "0s", "--state", dir.resolve("published.txt").toString())));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void eachFailureHasItsStatusAndOneLine(Case c) {
    if (c.name().equals("run name in use")) {
      assertEquals(ExitStatus.OK, run(Map.of(), c.args()).code(), "the first start of the run");
    }
    Result r = run(Map.of(), c.args());
    assertEquals(c.code(), r.code(), r.err());
    if (c.code() != ExitStatus.OK) {
      assertTrue(r.err().startsWith(c.message()), r.err());
      assertEquals(1, r.err().lines().count(), "one line, no stack trace: " + r.err());
    }
  }

  @Test
  void verboseAddsTheStackTrace() {
    List<String> args = List.of("status", "x", "--temporal", dead);
    for (Result r : List.of(run(Map.of(), concat(List.of("--verbose"), args)),
        run(Map.of("SEGFLOW_VERBOSE", "1"), args))) {
      assertEquals(ExitStatus.UNREACHABLE, r.code(), r.err());
      assertTrue(r.err().startsWith("segflow: cannot reach Temporal at " + dead), r.err());
      assertTrue(r.err().contains("io.grpc.StatusRuntimeException: UNAVAILABLE"), r.err());
    }
    assertFalse(run(Map.of(), args).err().contains("StatusRuntimeException"));
  }

  @Test
  void theExitCodesAreListedInTheHelp() {
    String help = SegflowCommand.commandLine(Map.of()).getUsageMessage();
    assertTrue(help.contains("Exit codes:"), help);
    for (int code = 0; code <= 4; code++) {
      String listed = "\\s+" + code + "\\s+\\S.*";
      assertTrue(help.lines().anyMatch(l -> l.matches(listed)), code + " in\n" + help);
    }
  }

  record Result(int code, String err) { }

  static Result run(Map<String, String> env, List<String> args) {
    StringWriter err = new StringWriter();
    var line = SegflowCommand.commandLine(env);
    line.setErr(new PrintWriter(err, true));
    int code = line.execute(args.toArray(String[]::new));
    return new Result(code, err.toString());
  }

  private static List<String> concat(List<String> a, String... b) {
    return Stream.concat(a.stream(), Stream.of(b)).toList();
  }

  private static List<String> concat(List<String> a, List<String> b) {
    return Stream.concat(a.stream(), b.stream()).toList();
  }
}
