package org.segflow.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.segflow.HumanDuration;

/** What a schedule costs, in words, with nnU-Net's shorter schedules past a day. */
class ScheduleCostTest {

  @Test
  void nnUNetsDefaultScheduleOnATwoCoreCpuTakesWeeksAndSaysWhatIsShorter() {
    // 250 iterations of 7.3 s plus validation: about 34 min per epoch
    ScheduleCost c = ScheduleCost.ofFold(1000, 0, 250, 7.3 * (250 + 50 / 3.0), "3 iterations");
    assertEquals(1000 * 7.3 * (250 + 50 / 3.0), c.totalSeconds(), 1e-6);
    String s = c.describe();
    assertTrue(s.startsWith("schedule: 1000 epochs x 250 iterations: about 22.5 d on this hardware (32.4 min per "
        + "epoch, from 3 iterations)"), s);
    assertTrue(s.contains("nnUNetTrainer_250epochs 5.6 d, nnUNetTrainer_100epochs 2.3 d, nnUNetTrainer_50epochs "
        + "27.0 h, nnUNetTrainer_20epochs 10.8 h"), s);
  }

  @Test
  void fiveFoldsOnTwoWorkersTakeThreeRoundsAndAResumedFoldOnlyItsRest() {
    ScheduleCost five = new ScheduleCost(100, 0, 250, 60, "2 epochs", 5, 2);
    assertEquals(3 * 100 * 60, five.totalSeconds(), 1e-9);
    assertTrue(five.describe().contains("x 5 folds on 2 gpu workers: about 5.0 h"), five.describe());
    ScheduleCost resumed = ScheduleCost.ofFold(100, 90, 250, 60, "1 epoch");
    assertEquals(10 * 60, resumed.remainingSeconds(), 1e-9);
    assertTrue(resumed.describe().endsWith("; 10.0 min left from epoch 90"), resumed.describe());
  }

  @Test
  void aScheduleOfADayOrLessListsNoAlternatives() {
    ScheduleCost c = ScheduleCost.ofFold(1000, 0, 250, 80, "1 epoch");
    assertFalse(c.describe().contains("shorter"), c.describe());
    assertEquals(List.of("nnUNetTrainer_250epochs 5.6 h", "nnUNetTrainer_100epochs 2.2 h",
        "nnUNetTrainer_50epochs 66.7 min", "nnUNetTrainer_20epochs 26.7 min"), c.shorterSchedules());
  }

  @Test
  void durationsReadAsPeopleSayThem() {
    assertEquals("45 s", HumanDuration.of(45));
    assertEquals("12.5 min", HumanDuration.of(750));
    assertEquals("3.2 h", HumanDuration.of(3.2 * 3600));
    assertEquals("21.1 d", HumanDuration.of(21.1 * 86400));
    assertEquals("-", HumanDuration.of(Double.NaN));
    assertEquals("nnUNetTrainer_1epoch", NnUNetSchedules.trainer(1));
    assertEquals("nnUNetTrainer", NnUNetSchedules.trainer(1000));
  }
}
