package org.segflow.cli;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowNotFoundException;
import java.io.PrintWriter;
import java.util.Map;
import org.segflow.InvalidInputException;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * What a failed command prints and the status it exits with: one line naming what went wrong and where
 * (the stack trace only with --verbose or SEGFLOW_VERBOSE=1), so scripts can tell a mistake in the
 * command line (2) from input that can never work (3), a service that is not there (4) and the rest (1).
 */
final class ExitStatus implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler,
    CommandLine.IExitCodeExceptionMapper {

  static final int OK = 0;
  static final int FAILURE = 1;
  static final int USAGE = 2;
  static final int INVALID_INPUT = 3;
  static final int UNREACHABLE = 4;

  /**
   * A well-formed option value segflow does not support (a 3D configuration, an nnU-Net trainer it lacks):
   * invalid input like the refusals the commands make themselves, not a mistake in the command line.
   */
  static final class UnsupportedValue extends CommandLine.TypeConversionException {
    UnsupportedValue(String message) {
      super(message);
    }
  }

  private final boolean verboseFromEnv;

  ExitStatus(Map<String, String> env) {
    this.verboseFromEnv = "1".equals(env.get("SEGFLOW_VERBOSE")) || "true".equalsIgnoreCase(env.get("SEGFLOW_VERBOSE"));
  }

  @Override
  public int handleExecutionException(Exception ex, CommandLine line, ParseResult parsed) {
    PrintWriter err = line.getErr();
    int code = getExitCode(ex);
    err.println(line.getColorScheme().errorText("segflow: " + message(ex, parsed)));
    if (verbose(parsed)) {
      ex.printStackTrace(err);
    }
    err.flush();
    return code;
  }

  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    CommandLine line = ex.getCommandLine();
    String hint = ex instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty()
        ? " (did you mean " + String.join(" or ", u.getSuggestions()) + "?)" : "";
    // one line, pointing at the help of the (sub)command that was mistyped rather than printing all of it
    line.getErr().println(line.getColorScheme().errorText("segflow: " + ex.getMessage() + hint
        + "; see '" + line.getCommandSpec().qualifiedName() + " --help'"));
    line.getErr().flush();
    return ex.getCause() instanceof UnsupportedValue ? INVALID_INPUT : USAGE;
  }

  @Override
  public int getExitCode(Throwable ex) {
    if (find(ex, InvalidInputException.class) != null || find(ex, UnsupportedValue.class) != null
        || find(ex, WorkflowExecutionAlreadyStarted.class) != null
        || find(ex, WorkflowNotFoundException.class) != null || grpc(ex, Status.Code.NOT_FOUND) != null) {
      return INVALID_INPUT;
    }
    if (unreachableTemporal(ex) != null || find(ex, org.apache.kafka.common.errors.TimeoutException.class) != null) {
      return UNREACHABLE;
    }
    return ex instanceof ParameterException ? USAGE : FAILURE;
  }

  private static String message(Throwable ex, ParseResult parsed) {
    TemporalOptions temporal = mixin(parsed, TemporalOptions.class);
    String where = temporal == null ? "" : " in namespace " + temporal.namespace + " at " + temporal.target;
    InvalidInputException invalid = find(ex, InvalidInputException.class);
    if (invalid != null) {
      return invalid.getMessage();
    }
    UnsupportedValue unsupported = find(ex, UnsupportedValue.class);
    if (unsupported != null) {
      return unsupported.getMessage();
    }
    WorkflowExecutionAlreadyStarted started = find(ex, WorkflowExecutionAlreadyStarted.class);
    if (started != null) {
      String id = started.getExecution().getWorkflowId();
      return "workflow " + id + " already exists" + where + ": pick another --run name, or see it with "
          + "'segflow status " + id + "'";
    }
    WorkflowNotFoundException missing = find(ex, WorkflowNotFoundException.class);
    if (missing != null) {
      return "no workflow " + missing.getExecution().getWorkflowId() + where
          + " (see 'segflow pipeline list' and 'segflow inference list')";
    }
    StatusRuntimeException notFound = grpc(ex, Status.Code.NOT_FOUND);
    if (notFound != null) {
      return "not found" + where + ": " + notFound.getStatus().getDescription();
    }
    StatusRuntimeException down = unreachableTemporal(ex);
    if (down != null) {
      return "cannot reach Temporal" + (temporal == null ? "" : " at " + temporal.target) + " ("
          + down.getStatus().getCode() + detail(down) + "): start it with 'segflow server' or pass --temporal HOST:PORT";
    }
    org.apache.kafka.common.errors.TimeoutException kafka = find(ex, org.apache.kafka.common.errors.TimeoutException.class);
    if (kafka != null) {
      KafkaOptions k = mixin(parsed, KafkaOptions.class);
      return "cannot reach Kafka" + (k == null ? "" : " at " + k.bootstrapServers) + " (" + kafka.getMessage()
          + "): start it with 'segflow kafka' or pass --bootstrap-servers HOST:PORT";
    }
    String what = ex.getMessage() == null || ex.getMessage().isBlank() ? ex.getClass().getName() : ex.getMessage();
    return what + " (--verbose or SEGFLOW_VERBOSE=1 for the stack trace)";
  }

  /** UNAVAILABLE (refused, TLS handshake, DNS) or a deadline on the first call: nothing answered at the address. */
  private static StatusRuntimeException unreachableTemporal(Throwable ex) {
    StatusRuntimeException e = grpc(ex, Status.Code.UNAVAILABLE);
    return e != null ? e : grpc(ex, Status.Code.DEADLINE_EXCEEDED);
  }

  /** The innermost cause's message ("Connection refused"), when gRPC's own says less ("io exception"). */
  private static String detail(StatusRuntimeException e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String m = root == e ? e.getStatus().getDescription() : root.getMessage();
    return m == null || m.isBlank() ? "" : ": " + m.replaceFirst("^.*failed: ", "");
  }

  private static StatusRuntimeException grpc(Throwable ex, Status.Code code) {
    for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof StatusRuntimeException s && s.getStatus().getCode() == code) {
        return s;
      }
    }
    return null;
  }

  private static <T extends Throwable> T find(Throwable ex, Class<T> type) {
    for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  /** The options object of the command that ran (the last subcommand parsed), e.g. its --temporal. */
  private static <T> T mixin(ParseResult parsed, Class<T> type) {
    ParseResult p = parsed;
    while (p != null && p.hasSubcommand()) {
      p = p.subcommand();
    }
    if (p == null) {
      return null;
    }
    for (CommandSpec m : p.commandSpec().mixins().values()) {
      if (type.isInstance(m.userObject())) {
        return type.cast(m.userObject());
      }
    }
    return null;
  }

  private boolean verbose(ParseResult parsed) {
    return verboseFromEnv || parsed != null && parsed.commandSpec().userObject() instanceof SegflowCommand s
        && s.verbose;
  }
}
