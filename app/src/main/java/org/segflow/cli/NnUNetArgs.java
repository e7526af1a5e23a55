package org.segflow.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.segflow.InvalidInputException;
import org.segflow.train.NnUNetSchedules;
import picocli.CommandLine.ITypeConverter;

/**
 * What nnU-Net v2's command lines pass that segflow reads differently: trainer class names (the
 * epoch variants nnU-Net ships), configuration names (segflow is 2D) and values given both as a
 * positional and as an option.
 */
final class NnUNetArgs {

  /** nnU-Net's default trainer; its folder name is the one segflow writes results to. */
  static final String DEFAULT_TRAINER = NnUNetSchedules.DEFAULT_TRAINER;

  /** The trainers nnU-Net ships that differ from nnUNetTrainer only in the number of epochs. */
  static final Map<String, Integer> TRAINER_EPOCHS = trainerEpochs();

  private NnUNetArgs() {}

  private static Map<String, Integer> trainerEpochs() {
    Map<String, Integer> m = new LinkedHashMap<>();
    m.put(DEFAULT_TRAINER, NnUNetSchedules.DEFAULT_EPOCHS);
    for (int e : NnUNetSchedules.EPOCH_VARIANTS) {
      m.put(NnUNetSchedules.trainer(e), e);
    }
    return java.util.Collections.unmodifiableMap(m);
  }

  /** The epochs of an accepted trainer name. */
  static int epochsOf(String trainer) {
    Integer e = TRAINER_EPOCHS.get(trainer);
    if (e == null) {
      throw new ExitStatus.UnsupportedValue(unknownTrainer(trainer));
    }
    return e;
  }

  static String unknownTrainer(String trainer) {
    return "trainer '" + trainer + "' is not available in segflow; accepted: " + String.join(", ",
        TRAINER_EPOCHS.keySet()) + " (nnUNetTrainer = 1000 epochs; the others only change the epoch count)";
  }

  /** -tr: one of {@link #TRAINER_EPOCHS}, else a conversion error that lists them. */
  static final class Trainer implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      epochsOf(value);
      return value;
    }
  }

  /**
   * -c: segflow is 2D, so nnU-Net's 3d_fullres, 3d_lowres and 3d_cascade_fullres are refused here;
   * any other name is looked up in the plans as before.
   */
  static final class Configuration implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      if (isThreeD(value)) {
        throw new ExitStatus.UnsupportedValue(threeD(value));
      }
      return value;
    }
  }

  static boolean isThreeD(String configuration) {
    return configuration.strip().toLowerCase(Locale.ROOT).startsWith("3d");
  }

  static String threeD(String configuration) {
    return "segflow is 2D: configuration '" + configuration + "' is not available (3d_fullres, 3d_lowres and "
        + "3d_cascade_fullres need nnU-Net's 3D pipeline); use 2d";
  }

  /**
   * The same checks for options taking nnU-Net's lists (-c 2d 3d_fullres, -tr A B): a converter there
   * would leave a refused value unmatched instead of naming the reason.
   */
  static void requireTwoD(List<String> configurations) {
    for (String c : configurations) {
      if (isThreeD(c)) {
        throw new InvalidInputException(threeD(c));
      }
    }
  }

  static void requireTrainers(List<String> trainers) {
    for (String t : trainers) {
      if (!TRAINER_EPOCHS.containsKey(t)) {
        throw new InvalidInputException(unknownTrainer(t));
      }
    }
  }

  /**
   * The one value given as a positional (nnU-Net's form) or as an option (segflow's form): both must
   * agree, one is required.
   */
  static String either(String positional, String option, String positionalLabel, String optionName) {
    if (positional != null && option != null && !positional.equals(option)) {
      throw new InvalidInputException(positionalLabel + " '" + positional + "' and " + optionName + " '"
          + option + "' disagree: give one of them");
    }
    String v = positional != null ? positional : option;
    if (v == null) {
      throw new InvalidInputException("missing " + positionalLabel + ": give it as the positional "
          + positionalLabel + " (nnU-Net's form) or with " + optionName);
    }
    return v;
  }

  /** The option's single value when it took nnU-Net's list form with one distinct value. */
  static String single(List<String> values, String fallback, String optionName) {
    if (values == null || values.isEmpty()) {
      return fallback;
    }
    if (values.stream().distinct().count() > 1) {
      throw new InvalidInputException(optionName + " " + String.join(" ", values)
          + ": segflow compares one at a time; give one value");
    }
    return Objects.requireNonNull(values.get(0));
  }

  /** A flag nnU-Net has that segflow cannot honour: refused by name, before any work. */
  static void refuse(boolean given, String flag, String why) {
    if (given) {
      throw new InvalidInputException(flag + " is not supported by segflow: " + why);
    }
  }
}
