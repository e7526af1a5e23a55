package org.segflow.cli;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segflow.InvalidInputException;
import picocli.CommandLine;

/** Plaintext by default; TLS from the system trust store or given files, with clear errors for bad files. */
class TemporalOptionsTest {

  private static TemporalOptions parse(String... args) {
    TemporalOptions o = new TemporalOptions();
    new CommandLine(o).parseArgs(args);
    return o;
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
