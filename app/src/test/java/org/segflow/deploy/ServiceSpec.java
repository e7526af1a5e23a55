package org.segflow.deploy;

import java.util.List;
import java.util.Map;

/**
 * One segflow process as a deployment file describes it: the arguments after the image's entrypoint
 * ({@code segflow ...}) and the environment the container gets (the image's ENV lines, then the file's
 * own variables), before any translation to this machine.
 *
 * @param name  the compose service or Kubernetes workload name
 * @param args  the command, e.g. {@code worker --pool cpu --temporal temporal:7233 ...}
 * @param env   the container's environment
 * @param file  the deployment file it came from, for messages
 */
record ServiceSpec(String name, List<String> args, Map<String, String> env, String file) {

  ServiceSpec {
    args = List.copyOf(args);
    env = Map.copyOf(env);
  }

  /** The segflow subcommand: worker, bridge, watch, ... */
  String command() {
    return args.isEmpty() ? "" : args.get(0);
  }

  /** The value after {@code option} in the arguments, or null. */
  String option(String option) {
    int i = args.indexOf(option);
    return i < 0 || i + 1 >= args.size() ? null : args.get(i + 1);
  }

  @Override
  public String toString() {
    return name + " (" + file + "): segflow " + String.join(" ", args);
  }
}
