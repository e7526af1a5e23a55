package org.segflow.train;

import java.util.List;

/** nnU-Net's trainer variants that differ from nnUNetTrainer only in the number of epochs. */
public final class NnUNetSchedules {

  public static final String DEFAULT_TRAINER = "nnUNetTrainer";
  public static final int DEFAULT_EPOCHS = 1000;
  /** The epoch counts of nnUNetTrainer_1epoch, nnUNetTrainer_5epochs ... nnUNetTrainer_8000epochs. */
  public static final List<Integer> EPOCH_VARIANTS = List.of(1, 5, 10, 20, 50, 100, 250, 500, 750, 2000, 4000, 8000);

  private NnUNetSchedules() {}

  /** The trainer name of a variant, e.g. nnUNetTrainer_50epochs (nnUNetTrainer for 1000). */
  public static String trainer(int epochs) {
    if (epochs == DEFAULT_EPOCHS) {
      return DEFAULT_TRAINER;
    }
    return DEFAULT_TRAINER + "_" + epochs + (epochs == 1 ? "epoch" : "epochs");
  }
}
