package org.segflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segflow.InvalidInputException;
import picocli.CommandLine;

/**
 * Plaintext by default; TLS from the system trust store or given files, with clear errors for bad files;
 * the Temporal CLI's environment variables for what the options do not say.
 */
class TemporalOptionsTest {

  private static TemporalOptions parse(String... args) {
    return parse(Map.of(), args);
  }

  private static TemporalOptions parse(Map<String, String> env, String... args) {
    TemporalOptions o = new TemporalOptions();
    new CommandLine(o).setDefaultValueProvider(new TemporalOptions.Environment(env)).parseArgs(args);
    return o;
  }

  @Test
  void theEnvironmentFillsInWhatTheOptionsDoNotSay() {
    Map<String, String> env = Map.of("TEMPORAL_ADDRESS", "temporal.example:7233", "TEMPORAL_NAMESPACE", "seg",
        "TEMPORAL_TLS_CA", "/legacy/ca.pem", "TEMPORAL_TLS_SERVER_CA_CERT_PATH", "/current/ca.pem",
        "TEMPORAL_TLS_CLIENT_CERT_PATH", "/current/cert.pem", "TEMPORAL_TLS_KEY", "/legacy/key.pem");
    TemporalOptions fromEnv = parse(env);
    assertEquals("temporal.example:7233", fromEnv.target);
    assertEquals("seg", fromEnv.namespace);
    assertEquals(Path.of("/legacy/ca.pem"), fromEnv.tlsCa, "the older name wins, as in the Temporal CLI");
    assertEquals(Path.of("/current/cert.pem"), fromEnv.tlsCert);
    assertEquals(Path.of("/legacy/key.pem"), fromEnv.tlsKey);

    TemporalOptions explicit = parse(env, "--temporal", "127.0.0.1:7000", "--tls-ca", "/given/ca.pem");
    assertEquals("127.0.0.1:7000", explicit.target, "an option given beats the environment");
    assertEquals(Path.of("/given/ca.pem"), explicit.tlsCa);
    assertEquals("seg", explicit.namespace);

    TemporalOptions none = parse(Map.of("TEMPORAL_ADDRESS", ""));
    assertEquals(TemporalOptions.DEFAULT_TARGET, none.target, "empty is unset");
    assertEquals("default", none.namespace);
    assertNull(none.apiKey);
  }

  @Test
  void anApiKeyImpliesTlsUnlessTurnedOff() {
    assertEquals("k1", parse(Map.of("TEMPORAL_API_KEY", "k1")).apiKey);
    assertEquals("k2", parse(Map.of("TEMPORAL_API_KEY", "k1"), "--api-key", "k2").apiKey);
    assertTrue(parse(Map.of("TEMPORAL_API_KEY", "k1")).usesTls());
    assertNotNull(parse("--api-key", "k").sslContext());
    assertFalse(parse(Map.of("TEMPORAL_API_KEY", "k1", "TEMPORAL_TLS", "false")).usesTls());
    assertTrue(parse(Map.of("TEMPORAL_API_KEY", "k1", "TEMPORAL_TLS", "false"), "--tls").usesTls());
    assertFalse(parse(Map.of("TEMPORAL_TLS", "true"), "--tls=false").usesTls());
    assertTrue(parse(Map.of("TEMPORAL_TLS", "true")).usesTls());
  }

  @Test
  void aBareTlsLeavesTheNextArgumentAlone() {
    CommandLine line = SegflowCommand.commandLine(Map.of());
    StatusCommand status = line.parseArgs("status", "--tls", "pipeline-x").subcommand().commandSpec().commandLine()
        .getCommand();
    assertEquals("pipeline-x", status.workflowId);
    assertTrue(status.temporal.usesTls());
  }

  @Test
  void otherCommandsOwnOptionsOfTheSameNameKeepTheirDefaults() {
    CommandLine line = SegflowCommand.commandLine(Map.of("TEMPORAL_NAMESPACE", "seg", "TEMPORAL_ADDRESS", "t:1"));
    CommandLine.ParseResult parsed = line.parseArgs("bench", "events", "-d", "1");
    BenchEventsCommand bench = parsed.subcommand().subcommand().commandSpec().commandLine().getCommand();
    assertEquals("default", bench.namespace, "bench events' own --namespace is not the Temporal CLI's");
    assertNull(bench.temporal, "bench events starts its own server unless --temporal is given");
  }

  @Test
  void theEnvironmentAddressIsTheOneReportedUnreachable() throws Exception {
    String dead;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      dead = "127.0.0.1:" + s.getLocalPort();
    }
    ExitStatusTest.Result r = ExitStatusTest.run(Map.of("TEMPORAL_ADDRESS", dead), java.util.List.of("status", "x"));
    assertEquals(ExitStatus.UNREACHABLE, r.code(), r.err());
    assertTrue(r.err().startsWith("segflow: cannot reach Temporal at " + dead + " "), r.err());
  }

  @Test
  void plaintextUnlessAskedForTls() {
    assertNull(parse().sslContext());
    assertNotNull(parse("--tls").sslContext());
  }

  @Test
  void missingOrBrokenFilesAreNamed(@TempDir Path dir) throws Exception {
    InvalidInputException missing = assertThrows(InvalidInputException.class,
        () -> parse("--tls-ca", dir.resolve("ca.pem").toString()).sslContext());
    assertTrue(missing.getMessage().contains("ca.pem"), missing.getMessage());
    Path junk = Files.writeString(dir.resolve("junk.pem"), "not a certificate");
    InvalidInputException broken = assertThrows(InvalidInputException.class,
        () -> parse("--tls-ca", junk.toString()).sslContext());
    assertTrue(broken.getMessage().contains("junk.pem"), broken.getMessage());
    assertThrows(InvalidInputException.class, () -> parse("--tls-cert", junk.toString()).sslContext());
  }
}
