/**
 * The evaluation's public language: queries for a case's journey, the evaluation, the before/after
 * comparison and the process map, and their response records. Durations carry their unit: ISO-8601 and
 * milliseconds in a journey, milliseconds (fields ending in Ms) in the evaluation.
 */
package dk.casejourney.evaluation.api;
