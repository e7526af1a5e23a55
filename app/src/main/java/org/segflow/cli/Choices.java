package org.segflow.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Locale;
import org.segflow.dataset.ConversionOptions;
import org.segflow.dataset.SourceLayout;
import org.segflow.net.Precision;
import org.segflow.plan.Plans;

/**
 * Completion candidates of the options whose values form a closed set. The options stay strings
 * parsed by their domain types, which name the accepted values in their one-line errors; these
 * lists, taken from the same types where one exists, feed help and shell completion.
 */
final class Choices {

  private Choices() {}

  static final class Channels extends ArrayList<String> {
    Channels() {
      Arrays.stream(ConversionOptions.Channels.values()).map(ConversionOptions.Channels::key).forEach(this::add);
    }
  }

  static final class Layouts extends ArrayList<String> {
    Layouts() {
      Arrays.stream(SourceLayout.values()).map(SourceLayout::option).forEach(this::add);
    }
  }

  static final class Precisions extends ArrayList<String> {
    Precisions() {
      Arrays.stream(Precision.values()).map(Precision::toString).forEach(this::add);
    }
  }

  static final class Pools extends ArrayList<String> {
    Pools() {
      Arrays.stream(WorkerCommand.Pool.values()).map(p -> p.name().toLowerCase(Locale.ROOT)).forEach(this::add);
    }
  }

  /** DeviceChoice's names: cuda is nnU-Net's word for gpu. */
  static final class Devices extends ArrayList<String> {
    Devices() {
      super(java.util.List.of("auto", "cpu", "cuda", "gpu", "mps"));
    }
  }

  static final class Checkpoints extends ArrayList<String> {
    Checkpoints() {
      super(java.util.List.of("final", "best"));
    }
  }

  /** segflow is 2D: the one configuration its plans hold. */
  static final class Configurations extends ArrayList<String> {
    Configurations() {
      super(java.util.List.of(Plans.CONFIGURATION_2D));
    }
  }
}
