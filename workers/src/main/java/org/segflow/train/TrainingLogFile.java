package org.segflow.train;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code training_log_Y_M_D_hh_mm_ss.txt} with nnU-Net's lines, so people and scripts that
 * read nnU-Net logs read ours. Each line is flushed: the log is what survives a crash.
 */
public final class TrainingLogFile implements TrainingListener, AutoCloseable {

  private static final DateTimeFormatter LINE_PREFIX =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

  private final Clock clock;
  private BufferedWriter out;
  private Path file;

  public TrainingLogFile() {
    this(Clock.systemDefaultZone());
  }

  TrainingLogFile(Clock clock) {
    this.clock = clock;
  }

  public Path file() {
    return file;
  }

  @Override
  public void onTrainingStart(FoldContext fold, TrainingHistory history) {
    LocalDateTime t = LocalDateTime.now(clock);
    // nnU-Net does not zero-pad year, month and day; hours, minutes and seconds have two digits
    String name = String.format("training_log_%d_%d_%d_%02d_%02d_%02d.txt", t.getYear(),
        t.getMonthValue(), t.getDayOfMonth(), t.getHour(), t.getMinute(), t.getSecond());
    try {
      Files.createDirectories(fold.outputDir());
      file = fold.outputDir().resolve(name);
      out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open training log in " + fold.outputDir(), e);
    }
    log("Desired fold for training: " + fold.fold());
    if (history.epochs() > 0) {
      log("Resuming from epoch " + history.epochs());
    }
  }

  @Override
  public void onMessage(FoldContext fold, String message) {
    log(message);
  }

  @Override
  public void onEpochEnd(FoldContext fold, EpochResult r, TrainingHistory history) {
    for (String line : epochLines(r)) {
      log(line);
    }
  }

  @Override
  public void onTrainingEnd(FoldContext fold, TrainingHistory history) {
    close();
  }

  static List<String> epochLines(EpochResult r) {
    List<String> lines = new ArrayList<>();
    lines.add("");
    lines.add("Epoch " + r.epoch());
    lines.add("Current learning rate: " + PythonNumbers.round(r.learningRate(), 5));
    lines.add("train_loss " + PythonNumbers.round(r.trainLoss(), 4));
    lines.add("val_loss " + PythonNumbers.round(r.valLoss(), 4));
    StringBuilder dice = new StringBuilder("Pseudo dice [");
    for (int i = 0; i < r.pseudoDicePerClass().length; i++) {
      dice.append(i == 0 ? "" : ", ").append(PythonNumbers.round(r.pseudoDicePerClass()[i], 4));
    }
    lines.add(dice.append(']').toString());
    lines.add("Epoch time: " + PythonNumbers.round(r.epochSeconds(), 2) + " s");
    if (r.newBestEma()) {
      lines.add("Yayy! New best EMA pseudo Dice: " + PythonNumbers.round(r.emaForegroundDice(), 4));
    }
    return lines;
  }

  /** Writes one line with nnU-Net's timestamp prefix. */
  public synchronized void log(String line) {
    if (out == null) {
      return;
    }
    try {
      out.write(LocalDateTime.now(clock).format(LINE_PREFIX) + ": " + line);
      out.newLine();
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write training log " + file, e);
    }
  }

  @Override
  public synchronized void close() {
    if (out != null) {
      try {
        out.close();
      } catch (IOException ignored) {
        // the log is best effort at close; every line was already flushed
      }
      out = null;
    }
  }
}
