package org.segflow.train;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;

/**
 * The curves of one fold, as nnU-Net's logger keeps them: one entry per finished epoch. Stored in
 * every checkpoint so that a resumed training continues its curves instead of starting new ones.
 */
public final class TrainingHistory {

  private final List<Double> meanFgDice;
  private final List<Double> emaFgDice;
  private final List<double[]> dicePerClass;
  private final List<Double> trainLosses;
  private final List<Double> valLosses;
  private final List<Double> learningRates;
  private final List<Double> epochSeconds;

  public TrainingHistory() {
    this(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
        new ArrayList<>(), new ArrayList<>());
  }

  @JsonCreator
  public TrainingHistory(
      @JsonProperty("mean_fg_dice") List<Double> meanFgDice,
      @JsonProperty("ema_fg_dice") List<Double> emaFgDice,
      @JsonProperty("dice_per_class_or_region") List<double[]> dicePerClass,
      @JsonProperty("train_losses") List<Double> trainLosses,
      @JsonProperty("val_losses") List<Double> valLosses,
      @JsonProperty("lrs") List<Double> learningRates,
      @JsonProperty("epoch_seconds") List<Double> epochSeconds) {
    this.meanFgDice = new ArrayList<>(meanFgDice);
    this.emaFgDice = new ArrayList<>(emaFgDice);
    this.dicePerClass = new ArrayList<>(dicePerClass);
    this.trainLosses = new ArrayList<>(trainLosses);
    this.valLosses = new ArrayList<>(valLosses);
    this.learningRates = new ArrayList<>(learningRates);
    this.epochSeconds = new ArrayList<>(epochSeconds);
  }

  /**
   * The EMA of the mean foreground pseudo Dice after adding {@code meanDice}: the first
   * epoch starts it at its own value, then ema = 0.9 ema + 0.1 value.
   */
  public double nextEma(double meanDice) {
    if (emaFgDice.isEmpty()) {
      return meanDice;
    }
    return 0.9 * emaFgDice.get(emaFgDice.size() - 1) + 0.1 * meanDice;
  }

  public void add(EpochResult r) {
    meanFgDice.add(r.meanForegroundDice());
    emaFgDice.add(r.emaForegroundDice());
    dicePerClass.add(r.pseudoDicePerClass().clone());
    trainLosses.add(r.trainLoss());
    valLosses.add(r.valLoss());
    learningRates.add(r.learningRate());
    epochSeconds.add(r.epochSeconds());
  }

  public int epochs() {
    return trainLosses.size();
  }

  @JsonProperty("mean_fg_dice")
  public List<Double> meanFgDice() {
    return List.copyOf(meanFgDice);
  }

  @JsonProperty("ema_fg_dice")
  public List<Double> emaFgDice() {
    return List.copyOf(emaFgDice);
  }

  @JsonProperty("dice_per_class_or_region")
  public List<double[]> dicePerClass() {
    return List.copyOf(dicePerClass);
  }

  @JsonProperty("train_losses")
  public List<Double> trainLosses() {
    return List.copyOf(trainLosses);
  }

  @JsonProperty("val_losses")
  public List<Double> valLosses() {
    return List.copyOf(valLosses);
  }

  @JsonProperty("lrs")
  public List<Double> learningRates() {
    return List.copyOf(learningRates);
  }

  @JsonProperty("epoch_seconds")
  public List<Double> epochSeconds() {
    return List.copyOf(epochSeconds);
  }
}
