package org.segflow.contract;

/**
 * Ingest a source folder: recognise its layout and record every input file's sha256.
 *
 * @param source relative to SEGFLOW_HOME, or absolute
 * @param datasetName names the generated case ids, as convert will
 */
public record IngestRequest(String source, int datasetId, String datasetName) {}
