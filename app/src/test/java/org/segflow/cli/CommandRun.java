package org.segflow.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine;

/**
 * A `segflow` command run through picocli as `segflow` parses it, on its own thread, its stdout
 * (System.out, teed) and picocli's error stream (exit messages, stack traces) captured. Long-running
 * commands are stopped as Ctrl-C stops them, through their stop() method; short ones are awaited.
 */
final class CommandRun {

  private static final Duration WAIT = Duration.ofSeconds(120);

  private final CommandLine line;
  private final Thread thread;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final StringWriter err = new StringWriter();
  private final AtomicInteger code = new AtomicInteger(Integer.MIN_VALUE);

  private CommandRun(String... args) {
    line = SegflowCommand.commandLine();
    line.setErr(new PrintWriter(err, true));
    thread = new Thread(() -> code.set(line.execute(args)), "segflow-" + args[0]);
  }

  /** Starts the command; System.out is captured until {@link #exitCode}. */
  static CommandRun start(String... args) {
    CommandRun r = new CommandRun(args);
    Capture.begin(r.out);
    r.thread.start();
    return r;
  }

  /** The command object of the subcommand path, e.g. ("kafka") or ("models", "list"). */
  <T> T command(String... path) {
    CommandLine c = line;
    for (String p : path) {
      c = c.getSubcommands().get(p);
    }
    return c.getCommand();
  }

  /** Waits until the output contains {@code text} (or the command ended without it: then fails). */
  String awaitOutput(String text) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!output().contains(text)) {
      if (!thread.isAlive() || System.nanoTime() > deadline) {
        throw new AssertionError("no '" + text + "' in the output of the command (exit "
            + (thread.isAlive() ? "none yet" : code.get()) + "):\n" + output() + errors());
      }
      Thread.sleep(20); // poll interval; the deadline bounds the wait
    }
    return output();
  }

  /** Waits for the command to end and returns its exit code; the capture ends. */
  int exitCode() throws InterruptedException {
    thread.join(WAIT.toMillis() * 5);
    Capture.end();
    if (thread.isAlive()) {
      throw new AssertionError("the command did not end:\n" + output() + errors());
    }
    return code.get();
  }

  String output() {
    synchronized (out) {
      return out.toString(StandardCharsets.UTF_8);
    }
  }

  /** What picocli reported: the one-line "segflow: ..." of a failed command (stack traces only with --verbose). */
  String errors() {
    return err.toString();
  }

  /** System.out teed into the buffer of the current run. */
  private static final class Capture {
    private static PrintStream oldOut;

    static synchronized void begin(ByteArrayOutputStream out) {
      oldOut = System.out;
      System.setOut(new PrintStream(new Tee(out, oldOut), true, StandardCharsets.UTF_8));
    }

    static synchronized void end() {
      if (oldOut != null) {
        System.setOut(oldOut);
        oldOut = null;
      }
    }
  }

  private static final class Tee extends OutputStream {
    private final ByteArrayOutputStream buffer;
    private final OutputStream shown;

    Tee(ByteArrayOutputStream buffer, OutputStream shown) {
      this.buffer = buffer;
      this.shown = shown;
    }

    @Override
    public void write(int b) {
      synchronized (buffer) {
        buffer.write(b);
      }
      try {
        shown.write(b);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }

    @Override
    public void write(byte[] b, int off, int len) {
      synchronized (buffer) {
        buffer.write(b, off, len);
      }
      try {
        shown.write(b, off, len);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }
}
