package dk.casejourney.evaluation.api;

/** Directly-follows pairs of activities or units over the criteria' cases; answers {@link ProcessMap}. */
public record FindProcessMapQuery(EvaluationCriteria criteria, ProcessMap.Level level) {
}
