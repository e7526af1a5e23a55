package org.segflow.contract;

/**
 * Convert a source folder into raw/DatasetNNN_Name.
 *
 * @param source         relative to SEGFLOW_HOME, or absolute
 * @param channels       gray or rgb
 * @param sourceManifest what ingest recorded; the conversion must be made from exactly these files
 */
public record ConvertRequest(String source, int datasetId, String datasetName, String channels,
    StepRef sourceManifest) {}
