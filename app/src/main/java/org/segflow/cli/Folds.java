package org.segflow.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.segflow.InvalidInputException;
import org.segflow.plan.CrossValidationSplits;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code -f/--folds}, spelled the same by every command that takes several folds: values separated
 * by spaces (nnU-Net's form) or commas, each 0-4 or {@code all}. As in nnU-Net, {@code all} is
 * the fold trained on every case ({@code train ... all}), not a shorthand for 0-4: a command that
 * merges cross-validation folds refuses it by name rather than read it another way.
 */
final class Folds {

  /** Shared by every {@code -f/--folds}; each command appends its default. */
  static final String DESCRIPTION = "Folds, separated by spaces or commas (0 1 2 or 0,1,2): 0-4, or all "
      + "(nnU-Net's fold_all, trained on every case).";

  /** The five cross-validation folds, nnU-Net's default. */
  static final List<String> CROSS_VALIDATION = List.of("0", "1", "2", "3", "4");

  private Folds() {}

  /** One fold value: 0-4 or all, else a usage error (exit 2) naming what is accepted. */
  static final class Token implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      String v = value.strip().toLowerCase(Locale.ROOT);
      if (!v.matches("[0-4]") && !CrossValidationSplits.FOLD_ALL.equals(v)) {
        throw new TypeConversionException("fold '" + value + "': expected 0, 1, 2, 3, 4 or all");
      }
      return v;
    }
  }

  /** Completion candidates: the five folds and all. */
  static final class Candidates extends ArrayList<String> {
    Candidates() {
      super(CROSS_VALIDATION);
      add(CrossValidationSplits.FOLD_ALL);
    }
  }

  /**
   * The folds as cross-validation fold numbers, in the order given without repeats, for commands
   * that train or merge the five folds (fold all has no validation cases of its own).
   */
  static List<Integer> crossValidation(List<String> folds, String why) {
    List<Integer> out = new ArrayList<>();
    for (String f : folds) {
      if (CrossValidationSplits.FOLD_ALL.equals(f)) {
        throw new InvalidInputException("fold all is not accepted here: " + why + "; give folds 0-4");
      }
      int n = Integer.parseInt(f);
      if (!out.contains(n)) {
        out.add(n);
      }
    }
    return List.copyOf(out);
  }
}
