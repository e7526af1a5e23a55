package org.segflow.dataset;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.segflow.InvalidInputException;

/**
 * A dataset's id and name, spelled as nnU-Net's folder name {@code DatasetNNN_Name} (three-digit
 * id). Names are letters, digits, '_', '-' and '.', starting with a letter or digit.
 */
public record DatasetName(int id, String name) implements Comparable<DatasetName> {

  private static final Pattern FOLDER = Pattern.compile("Dataset(\\d{3})_(.+)");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");

  public DatasetName {
    if (id < 1 || id > 999) {
      throw new InvalidInputException("dataset id " + id + " is out of range: nnU-Net ids have"
          + " three digits, 1 to 999");
    }
    if (name == null || !NAME.matcher(name).matches()) {
      throw new InvalidInputException("dataset name '" + name + "' is not valid: use letters,"
          + " digits, '_', '-' or '.', starting with a letter or digit (e.g. CHASEDB1)");
    }
  }

  /** {@code Dataset002_CHASEDB1}. */
  public String folderName() {
    return String.format(Locale.ROOT, "Dataset%03d_%s", id, name);
  }

  /** The name of a folder like {@code Dataset002_CHASEDB1}; empty if it is not one. */
  public static Optional<DatasetName> parseFolder(String folderName) {
    Matcher m = FOLDER.matcher(folderName);
    if (!m.matches() || !NAME.matcher(m.group(2)).matches() || Integer.parseInt(m.group(1)) == 0) {
      return Optional.empty();
    }
    return Optional.of(new DatasetName(Integer.parseInt(m.group(1)), m.group(2)));
  }

  /** Like {@link #parseFolder} but a folder name that is not {@code DatasetNNN_Name} is an error. */
  public static DatasetName parse(String folderName) {
    return parseFolder(folderName).orElseThrow(() -> new InvalidInputException("'" + folderName
        + "' is not a dataset folder name; expected DatasetNNN_Name, e.g. Dataset002_CHASEDB1"));
  }

  @Override
  public int compareTo(DatasetName o) {
    return folderName().compareTo(o.folderName());
  }

  @Override
  public String toString() {
    return folderName();
  }
}
