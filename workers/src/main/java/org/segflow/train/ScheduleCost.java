package org.segflow.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.segflow.HumanDuration;

/**
 * What a training schedule costs on the hardware at hand: epochs x the measured seconds per epoch,
 * per fold, and for several folds over the gpu workers that train them in parallel. Said before a
 * long training gets under way, because nnU-Net's default of 1000 epochs x 250 iterations takes hours
 * on a GPU and weeks on a laptop CPU; past a day, nnU-Net's shorter schedules are listed with their
 * cost.
 *
 * @param numEpochs       epochs per fold
 * @param epochsDone      epochs a resumed fold already has (0 for a new one)
 * @param iterations      training iterations per epoch
 * @param secondsPerEpoch measured (or estimated) wall seconds per epoch, validation included
 * @param measuredOn      what the figure comes from, e.g. "3 iterations" or "2 epochs"
 * @param folds           folds in the schedule
 * @param workers         gpu workers training folds in parallel (at least 1)
 */
public record ScheduleCost(int numEpochs, int epochsDone, int iterations, double secondsPerEpoch, String measuredOn,
    int folds, int workers) {

  /** Above this a schedule gets the shorter alternatives beside it. */
  public static final double ONE_DAY_SECONDS = 86_400;

  /** One fold on one worker. */
  public static ScheduleCost ofFold(int numEpochs, int epochsDone, int iterations, double secondsPerEpoch,
      String measuredOn) {
    return new ScheduleCost(numEpochs, epochsDone, iterations, secondsPerEpoch, measuredOn, 1, 1);
  }

  /** Wall seconds of the remaining epochs of every fold: folds run {@code workers} at a time. */
  public double remainingSeconds() {
    return rounds() * Math.max(0, numEpochs - epochsDone) * secondsPerEpoch;
  }

  /** Wall seconds of the whole schedule from epoch 0. */
  public double totalSeconds() {
    return rounds() * numEpochs * secondsPerEpoch;
  }

  private int rounds() {
    int w = Math.max(1, workers);
    return (Math.max(1, folds) + w - 1) / w;
  }

  /**
   * One paragraph: "schedule: 1000 epochs x 250 iterations, fold 0: about 21.1 d on this machine (30.4 min
   * per epoch, from 3 iterations)", what is left when resumed, and past a day the shorter nnU-Net schedules.
   */
  public String describe() {
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "schedule: %d epochs x %d iterations", numEpochs,
        iterations));
    if (folds > 1) {
      sb.append(String.format(Locale.ROOT, " x %d folds on %d gpu worker%s", folds, Math.max(1, workers),
          workers == 1 ? "" : "s"));
    }
    sb.append(String.format(Locale.ROOT, ": about %s on this hardware (%s per epoch, from %s)",
        duration(totalSeconds()), duration(secondsPerEpoch), measuredOn));
    if (epochsDone > 0) {
      sb.append(String.format(Locale.ROOT, "; %s left from epoch %d", duration(remainingSeconds()), epochsDone));
    }
    List<String> shorter = shorterSchedules();
    if (remainingSeconds() > ONE_DAY_SECONDS && !shorter.isEmpty()) {
      sb.append(". More than a day: nnU-Net's shorter schedules (-tr or --epochs) would take ")
          .append(String.join(", ", shorter));
    }
    return sb.toString();
  }

  /**
   * nnU-Net's epoch variants of at most a quarter of this schedule (and at least 10 epochs) with their
   * cost, longest first, at most four: the ones that change the answer by an order of magnitude.
   */
  List<String> shorterSchedules() {
    List<String> out = new ArrayList<>();
    List<Integer> variants = new ArrayList<>(NnUNetSchedules.EPOCH_VARIANTS);
    variants.sort((a, b) -> b - a);
    for (int e : variants) {
      if (e * 4 <= numEpochs && e >= 10 && out.size() < 4) {
        ScheduleCost s = new ScheduleCost(e, 0, iterations, secondsPerEpoch, measuredOn, folds, workers);
        out.add(NnUNetSchedules.trainer(e) + " " + duration(s.totalSeconds()));
      }
    }
    return out;
  }

  private static String duration(double seconds) {
    return HumanDuration.of(seconds);
  }
}
