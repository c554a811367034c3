/**
 * Journey figures and the channel-strategy evaluation (DOMAIN.md, "Definitions of the figures").
 *
 * <p>{@link dk.casejourney.evaluation.JourneyCalculator} is the single source of truth for every figure of
 * a case; its class comment records the decisions DOMAIN.md leaves open (corrections, reopened cases,
 * what counts as a unit's activity, staff time versus handling time). The {@code journey-figures}
 * projection keeps each case's events and the calculator's results in tables shaped for the evaluation;
 * the journey query computes a case afresh so that an open case runs to now. The evaluation's own
 * definitions (avoidable purposes, digital channels) are in {@code projections/evaluation/definitions.properties}.
 * Medians and 90th percentiles are nearest-rank. No personal data is kept or shown here: citizens appear
 * only as group and age band.
 */
package dk.casejourney.evaluation;
