package org.segflow.contract;

/**
 * An accepted image its InferenceWorkflow could not segment, to be dead-lettered so that no arrival
 * ends without an answer downstream.
 *
 * @param workflowId   the failed InferenceWorkflow
 * @param request      what the bridge started it with
 * @param invalidInput true when the image or its reference labels cannot be read or scored (not
 *                     retried); false when segmenting failed after every retry
 * @param detail       for people: the failure's message, naming the file
 */
public record InferenceFailure(String workflowId, InferenceRequest request, boolean invalidInput, String detail) {}
