package dk.casejourney.evaluation.api;

/** The channel-strategy evaluation over the criteria; answers {@link EvaluationReport}. */
public record FindEvaluationQuery(EvaluationCriteria criteria) {
}
