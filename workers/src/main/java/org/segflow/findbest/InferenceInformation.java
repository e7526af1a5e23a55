package org.segflow.findbest;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.segflow.dataset.DatasetName;
import org.segflow.postprocess.Postprocessing;
import org.segflow.storage.AtomicFiles;
import org.segflow.storage.Json;

/**
 * What find-best leaves in results/DatasetXXX/: inference_information.json (nnU-Net's keys, plus a
 * {@code segflow_fov} section with the same Dice values inside the field of view when the dataset has
 * masks, and the chosen postprocessing steps) and inference_instructions.txt (the commands to run).
 */
public record InferenceInformation(DatasetName dataset, List<Integer> folds,
    List<BestConfigurationFinder.Candidate> candidates, BestConfigurationFinder.Candidate best,
    PostprocessingChoice.Result postprocessing) {

  public static final String JSON_FILE = "inference_information.json";
  public static final String INSTRUCTIONS_FILE = "inference_instructions.txt";
  public static final String FOV_SECTION = "segflow_fov";

  public double resultPrePostprocessing() {
    return best.crossValidation().foregroundMeanDice();
  }

  public double resultPostPostprocessing() {
    return postprocessing.postprocessed().foregroundMeanDice();
  }

  public boolean hasFov() {
    return best.crossValidation().summary().hasFov();
  }

  public Map<String, Object> toJson() {
    Map<String, Object> root = new TreeMap<>();
    Map<String, Object> all = new TreeMap<>();
    List<Object> considered = new ArrayList<>();
    for (BestConfigurationFinder.Candidate c : candidates) {
      all.put(c.model().model().identifier(), c.crossValidation().foregroundMeanDice());
      considered.add(c.model().model().consideredJson());
    }
    Map<String, Object> bestJson = new TreeMap<>();
    bestJson.put("postprocessing_file", postprocessing.postprocessingFile().toString());
    bestJson.put("result_on_crossval_post_pp", resultPostPostprocessing());
    bestJson.put("result_on_crossval_pre_pp", resultPrePostprocessing());
    bestJson.put("selected_model_or_models", List.of(best.model().model().selectedJson()));
    bestJson.put("some_plans_file", best.crossValidation().folder().resolve("plans.json").toString());
    Postprocessing pp = postprocessing.decision().postprocessing();
    bestJson.put("segflow_postprocessing_fns", pp.functionNames());
    bestJson.put("segflow_postprocessing_kwargs", pp.kwargsJson());
    root.put("all_results", all);
    root.put("best_model_or_ensemble", bestJson);
    root.put("considered_models", considered);
    root.put("dataset_name_or_id", dataset.folderName());
    root.put("ensembling_allowed", false);
    root.put("folds", folds);
    if (hasFov()) {
      Map<String, Object> fov = new TreeMap<>();
      Map<String, Object> fovAll = new TreeMap<>();
      for (BestConfigurationFinder.Candidate c : candidates) {
        fovAll.put(c.model().model().identifier(), c.crossValidation().fovForegroundMeanDice());
      }
      fov.put("all_results", fovAll);
      fov.put("result_on_crossval_post_pp", postprocessing.fovForegroundMeanDice());
      fov.put("result_on_crossval_pre_pp", best.crossValidation().fovForegroundMeanDice());
      root.put(FOV_SECTION, fov);
    }
    return root;
  }

  /** The predict command for the best model, as nnU-Net's {@code generate_inference_command}. */
  public String predictCommand() {
    ModelIdentifier m = best.model().model();
    return "segflow predict -d " + dataset.id() + " -i INPUT_FOLDER -o OUTPUT_FOLDER -f "
        + folds.stream().map(String::valueOf).collect(Collectors.joining(" ")) + " -c " + m.configuration()
        + " -p " + m.plansIdentifier();
  }

  /** The postprocessing command; empty when postprocessing did not improve the cross-validation Dice. */
  public String postprocessingCommand() {
    if (postprocessing.decision().postprocessing().isNone()) {
      return "";
    }
    return "segflow apply-postprocessing -i OUTPUT_FOLDER -o OUTPUT_FOLDER_PP -pp "
        + postprocessing.postprocessingFile() + " --plans-json "
        + best.crossValidation().folder().resolve("plans.json");
  }

  /** inference_instructions.txt, laid out as nnU-Net's {@code print_inference_instructions}. */
  public String instructions() {
    StringBuilder s = new StringBuilder();
    s.append("***Run inference like this:***\n\n");
    s.append(predictCommand()).append('\n');
    s.append("\n***Once inference is completed, run postprocessing like this:***\n\n");
    String pp = postprocessingCommand();
    s.append(pp.isEmpty()
        ? "No postprocessing: keeping only the largest connected component did not improve the cross-validation"
            + " Dice, so the predictions are final as they are.\n"
        : pp + "\n");
    return s.toString();
  }

  /** The console report: all results, the best and the postprocessing outcome, then the instructions. */
  public String report() {
    Map<String, Double> all = new LinkedHashMap<>();
    candidates.forEach(c -> all.put(c.model().model().identifier(), c.crossValidation().foregroundMeanDice()));
    StringBuilder s = new StringBuilder("***All results:***\n");
    all.forEach((k, v) -> s.append(k).append(": ").append(v).append('\n'));
    s.append("\n*Best*: ").append(best.model().model().identifier()).append(": ").append(resultPrePostprocessing())
        .append('\n');
    if (hasFov()) {
      s.append("Inside the field of view: ").append(best.crossValidation().fovForegroundMeanDice()).append('\n');
    }
    s.append("\n***Determining postprocessing for best model/ensemble***\n");
    s.append(postprocessing.decision().postprocessing().isNone()
        ? "Removing all but the largest foreground region did not improve results!\n"
        : "Removing all but the largest component improved results: Dice " + resultPrePostprocessing() + " -> "
            + resultPostPostprocessing() + "\n");
    s.append('\n').append(instructions());
    return s.toString();
  }

  public void write(Path jsonFile, Path instructionsFile) {
    Json.write(jsonFile, toJson());
    AtomicFiles.write(instructionsFile, instructions().getBytes(StandardCharsets.UTF_8));
  }
}
