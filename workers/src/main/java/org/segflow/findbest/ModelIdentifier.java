package org.segflow.findbest;

import java.util.Map;
import java.util.TreeMap;

/** A trainer, plans and configuration: one {@code Trainer__Plans__config} folder of a dataset's results. */
public record ModelIdentifier(String trainer, String plansIdentifier, String configuration) {

  /** segflow trains with nnU-Net's default trainer only (FoldTrainer's name). */
  public static final String DEFAULT_TRAINER = org.segflow.train.FoldTrainer.TRAINER_NAME;

  public static ModelIdentifier of(String plansIdentifier, String configuration) {
    return new ModelIdentifier(DEFAULT_TRAINER, plansIdentifier, configuration);
  }

  /** {@code nnUNetTrainer__nnUNetPlans__2d}, the folder name and nnU-Net's result key. */
  public String identifier() {
    return trainer + "__" + plansIdentifier + "__" + configuration;
  }

  /** The entry of inference_information.json's {@code selected_model_or_models}. */
  public Map<String, Object> selectedJson() {
    Map<String, Object> m = new TreeMap<>();
    m.put("configuration", configuration);
    m.put("plans_identifier", plansIdentifier);
    m.put("trainer", trainer);
    return m;
  }

  /** The entry of inference_information.json's {@code considered_models}. */
  public Map<String, Object> consideredJson() {
    Map<String, Object> m = new TreeMap<>();
    m.put("configuration", configuration);
    m.put("plans", plansIdentifier);
    m.put("trainer", trainer);
    return m;
  }
}
