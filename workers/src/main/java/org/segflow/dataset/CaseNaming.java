package org.segflow.dataset;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * How the cases of the users' layout are named, by convert, predict and evaluate alike: a numeric
 * folder name (or file stem) {@code n} becomes {@code <Name>_<n zero-padded to width>}, any other
 * name {@code <Name>_<name>}.
 *
 * <p>The width is a property of the dataset, not of the cases at hand: the digits of the widest
 * number over all its cases (crop_train and crop_test). Sorting ids as strings, as nnU-Net does, then
 * equals numeric order, and a subset (the test folder alone) is named as convert named it. Predict
 * learns the width from the converted dataset's ids ({@link #ofRawDataset}) and from the users'
 * folders it is given ({@link #widenedBy}); evaluate from the prediction file names ({@link #recognise}).
 */
public record CaseNaming(String datasetName, int width) {

  public CaseNaming {
    if (datasetName == null || datasetName.isEmpty()) {
      throw new IllegalArgumentException("a case naming needs the dataset name");
    }
    if (width < 1) {
      throw new IllegalArgumentException("width must be >= 1, got " + width);
    }
  }

  /** The naming of a dataset whose cases have the given folder names or stems. */
  public static CaseNaming over(String datasetName, Collection<String> names) {
    return new CaseNaming(datasetName, 1).widenedBy(names);
  }

  /** The same naming, padded wide enough for {@code names} too. */
  public CaseNaming widenedBy(Collection<String> names) {
    int w = width;
    for (String n : names) {
      if (isNumber(n)) {
        w = Math.max(w, digits(n).length());
      }
    }
    return new CaseNaming(datasetName, w);
  }

  /** The case id of a folder name or file stem. */
  public String id(String name) {
    String part = name;
    if (isNumber(name)) {
      String digits = digits(name);
      part = "0".repeat(Math.max(0, width - digits.length())) + digits;
    }
    return datasetName + "_" + part;
  }

  /**
   * The naming convert gave {@code rawDir} (raw/DatasetNNN_Name/): the width of its numeric ids
   * {@code <Name>_<digits>} in imagesTr/ and imagesTs/; width 1 when the folder or such ids are absent.
   */
  public static CaseNaming ofRawDataset(Path rawDir, String datasetName, String fileEnding) {
    CaseNaming naming = new CaseNaming(datasetName, 1);
    String prefix = datasetName + "_";
    for (String split : List.of(RawDataset.IMAGES_TR, RawDataset.IMAGES_TS)) {
      Path folder = rawDir.resolve(split);
      if (!Files.isDirectory(folder)) {
        continue;
      }
      for (String id : RawDataset.identifiers(folder, fileEnding)) {
        String part = id.startsWith(prefix) ? id.substring(prefix.length()) : "";
        if (isNumber(part)) {
          naming = new CaseNaming(datasetName, Math.max(naming.width, part.length()));
        }
      }
    }
    return naming;
  }

  /**
   * The naming that produced {@code ids} (e.g. the stems of predicted files): their common
   * {@code <Name>_} before a number, and the width of those numbers; empty when no id ends in
   * {@code _<digits>} or the names before them differ.
   */
  public static Optional<CaseNaming> recognise(Collection<String> ids) {
    String name = null;
    int width = 1;
    for (String id : ids) {
      int cut = id.lastIndexOf('_');
      if (cut < 1 || !isNumber(id.substring(cut + 1))) {
        continue;
      }
      String prefix = id.substring(0, cut);
      if (name != null && !name.equals(prefix)) {
        return Optional.empty();
      }
      name = prefix;
      width = Math.max(width, id.length() - cut - 1);
    }
    return name == null ? Optional.empty() : Optional.of(new CaseNaming(name, width));
  }

  public static boolean isNumber(String s) {
    return !s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9');
  }

  /** The number without leading zeros ("007" -> "7", "0" -> "0"). */
  private static String digits(String number) {
    return new BigInteger(number).toString();
  }
}
