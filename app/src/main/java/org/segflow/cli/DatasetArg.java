package org.segflow.cli;

/**
 * The texts of {@code -d/--dataset}: an existing dataset is found by id or name everywhere; the two
 * commands that create one (convert, pipeline run) take its new id there and its name with --name.
 */
final class DatasetArg {

  static final String EXISTING = "Dataset: its id (2), folder name (Dataset002_Name) or name (Name).";

  static final String NEW_ID = "Id of the dataset to create (1-999); its name is --name. Later commands take "
      + "either.";

  private DatasetArg() {}
}
