package org.segflow.contract;

/**
 * The ingested source.
 *
 * @param dataset        DatasetNNN_Name
 * @param layout         the recognised source layout (crop_folders, image_label_folders, nnunet_raw)
 * @param sourceManifest ingest/DatasetNNN_Name/source_manifest.json: every input file with its sha256
 *                       and size; its sha256 identifies the input of every later step
 * @param numFiles       input files listed
 * @param cacheKey       the manifest's sha256 (the source's identity)
 * @param cacheHit       true when the manifest on disk already listed exactly these files and was kept
 */
public record IngestResult(String dataset, String layout, StepRef sourceManifest, int numTraining, int numTest,
    int numFiles, String cacheKey, boolean cacheHit) {}
