package org.segflow.dataset;

import java.nio.file.Path;
import java.util.List;

/**
 * One failed integrity check.
 *
 * @param check   the step of nnU-Net's verify_dataset_integrity that failed (1..8, in nnU-Net's order);
 *                9 is segflow's FOV-mask check
 * @param caseId  the case, or null for dataset-wide problems
 * @param file    the offending file or folder, or null
 * @param message a self-contained sentence naming the file
 */
public record IntegrityProblem(int check, String caseId, Path file, String message) {

  /** One line: {@code case X: message}, or just the message for dataset-wide problems. */
  public String describe() {
    return caseId == null ? message : "case " + caseId + ": " + message;
  }

  /**
   * A readable list of problems, at most {@code maxListed} lines then "... and N more".
   */
  public static String summarize(List<IntegrityProblem> problems, int maxListed) {
    StringBuilder sb = new StringBuilder();
    sb.append("dataset integrity check failed with ").append(problems.size())
        .append(problems.size() == 1 ? " problem:" : " problems:");
    int shown = Math.min(problems.size(), maxListed);
    for (int i = 0; i < shown; i++) {
      sb.append("\n  - ").append(problems.get(i).describe());
    }
    if (problems.size() > shown) {
      sb.append("\n  ... and ").append(problems.size() - shown).append(" more");
    }
    return sb.toString();
  }
}
